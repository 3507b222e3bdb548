package io.rollstream.collector;

import io.rollstream.schemas.contract.Texts;
import io.rollstream.collector.HttpAnswers.Answer;
import io.rollstream.publisher.PublishException;
import io.rollstream.schemas.ClickEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.schemas.contract.EventValidator;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.serde.AvroBinarySize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request's events, from UTF-8 bytes to the answer: parse, validate each, write the valid ones, wait for
 * Kafka, and say per event what happened. The rule it keeps: an event is reported accepted only once Kafka
 * acknowledged it; when Kafka acknowledged not all of them the whole request is a 503, and resending it is
 * safe because its events keep their ids.
 */
final class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    private final BatchParser parser;
    private final EventValidator validator;
    private final EventSink sink;
    private final Clock clock;
    private final Duration ackTimeout;
    private final int retryAfterSeconds;
    private final KafkaOutageLog outages = new KafkaOutageLog();

    BatchProcessor(final CollectorSettings settings, final EventSink sink, final Clock clock) {
        this.parser = new BatchParser(new EventReader(new EventTimes(settings.maxEventAge())), settings.maxBatchEvents());
        this.validator = new EventValidator(new ClockSkew(settings.maxFutureSkew()), settings.eventLimits());
        this.sink = sink;
        this.clock = clock;
        // Kafka fails a record after the delivery timeout; the margin covers the send's own wait for metadata.
        this.ackTimeout = settings.deliveryTimeout().plus(settings.maxBlock()).plusSeconds(2);
        this.retryAfterSeconds = settings.retryAfterSeconds();
    }

    /** @throws RequestException when the body as a whole is unusable (not JSON, empty, too many events) */
    Answer process(final byte[] utf8Body, final BodyFormat format) throws RequestException {
        final Instant now = clock.instant();
        final EventReader.Reading[] readings = parser.parse(utf8Body, format, now).toArray(EventReader.Reading[]::new);
        final List<Integer> validIndexes = new ArrayList<>(readings.length);
        for (int i = 0; i < readings.length; i++) {
            if (readings[i] instanceof EventReader.Valid valid) {
                if (!valid.hasOwnId()) {
                    valid.event().setEventId(EventIds.derive(valid.event()));
                }
                final Optional<EventValidator.Violation> violation = validator.check(valid.event(),
                        (int) Math.min(Integer.MAX_VALUE, AvroBinarySize.of(valid.event())), now.toEpochMilli());
                if (violation.isPresent()) {
                    readings[i] = new EventReader.Invalid(violation.get().field(), violation.get().message(),
                            violation.get().reason());
                } else {
                    validIndexes.add(i);
                }
            }
        }
        if (validIndexes.isEmpty()) {
            return allRejected(readings);
        }
        final List<CompletableFuture<?>> sends = send(readings, validIndexes);
        final Answer failure = awaitAcknowledgements(sends, readings, validIndexes);
        return failure != null ? failure : accepted(readings);
    }

    /**
     * Hands the valid events to the sink, stopping at the first one that fails at once: Kafka is unreachable
     * or the buffer full, and each further send would only wait out its own timeout.
     */
    private List<CompletableFuture<?>> send(final EventReader.Reading[] readings, final List<Integer> validIndexes) {
        final List<CompletableFuture<?>> sends = new ArrayList<>(validIndexes.size());
        for (final int index : validIndexes) {
            final CompletableFuture<?> sent = sink.send(((EventReader.Valid) readings[index]).event());
            sends.add(sent);
            final PublishException failure = failureOf(sent);
            if (failure != null && meansUnavailable(failure)) {
                break;
            }
        }
        return sends;
    }

    /** Waits for Kafka; returns the answer for a failure that sinks the whole request, else null. */
    private Answer awaitAcknowledgements(final List<CompletableFuture<?>> sends, final EventReader.Reading[] readings,
                                         final List<Integer> validIndexes) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).exceptionally(error -> null)
                    .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            return unavailable("Kafka did not acknowledge the events within " + Texts.duration(ackTimeout), readings);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("the collector is shutting down", readings);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("exceptionally() leaves no failure", e);
        }
        if (sends.size() < validIndexes.size()) {
            return unavailable(failureOf(sends.getLast()).getMessage(), readings);
        }
        PublishException serverFailure = null;
        for (int j = 0; j < sends.size(); j++) {
            final PublishException failure = failureOf(sends.get(j));
            if (failure == null) {
                continue;
            }
            if (meansUnavailable(failure)) {
                return unavailable(failure.getMessage(), readings);
            }
            if (failure.reason() == PublishException.Reason.INVALID_EVENT) {
                readings[validIndexes.get(j)] = new EventReader.Invalid(null, failure.getMessage());
            } else {
                serverFailure = failure;
            }
        }
        outages.available();
        if (serverFailure != null) {
            LOG.error("The collector cannot write events: {}", serverFailure.getMessage(), serverFailure);
            return Answer.error(500, "The collector cannot write events: " + serverFailure.getMessage()
                    + " This is the collector's setup, not the request; events of the request that were written "
                    + "count once when it is resent.", Map.of(), 0);
        }
        return null;
    }

    private Answer unavailable(final String cause, final EventReader.Reading[] readings) {
        outages.unavailable(cause);
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("retry_after_seconds", retryAfterSeconds);
        details.put("event_ids", eventIds(readings));
        return Answer.error(503, "Not accepted: Kafka did not acknowledge every event of the request (" + cause
                + "). Resend the same request after Retry-After: its events keep their ids, so any already "
                + "written count once.", details, retryAfterSeconds);
    }

    private static Answer accepted(final EventReader.Reading[] readings) {
        final List<String> ids = eventIds(readings);
        if (ids.size() == readings.length) {
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("accepted", ids.size());
            body.put("event_ids", ids);
            return Answer.of(200, body);
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", ids.size());
        body.put("rejected", readings.length - ids.size());
        body.put("results", results(readings));
        return Answer.of(207, body);
    }

    private static Answer allRejected(final EventReader.Reading[] readings) {
        final EventReader.Invalid first = (EventReader.Invalid) readings[0];
        final String problem = (first.field() == null ? "" : "field " + first.field() + ": ") + first.error();
        final String message = readings.length == 1 ? "The event is not valid: " + problem + "."
                : "None of the " + readings.length + " events is valid (event 0: " + problem + "); see results.";
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("accepted", 0);
        details.put("rejected", readings.length);
        details.put("results", results(readings));
        return Answer.error(allOversized(readings) ? 413 : 400, message, details, 0);
    }

    /** Every event passed a size limit: the request is too large in the sense of HTTP 413, not wrong in form. */
    private static boolean allOversized(final EventReader.Reading[] readings) {
        for (final EventReader.Reading reading : readings) {
            if (!(reading instanceof EventReader.Invalid invalid) || invalid.reason() != RejectReason.OVERSIZED) {
                return false;
            }
        }
        return true;
    }

    private static List<Map<String, Object>> results(final EventReader.Reading[] readings) {
        final List<Map<String, Object>> results = new ArrayList<>(readings.length);
        for (int i = 0; i < readings.length; i++) {
            final Map<String, Object> result = new LinkedHashMap<>();
            result.put("index", i);
            switch (readings[i]) {
                case EventReader.Valid valid -> {
                    result.put("status", "accepted");
                    result.put("event_id", valid.event().getEventId());
                }
                case EventReader.Invalid invalid -> {
                    result.put("status", "rejected");
                    if (invalid.field() != null) {
                        result.put("field", invalid.field());
                    }
                    if (invalid.reason() != null) {
                        result.put("reason", invalid.reason().name());
                    }
                    result.put("error", invalid.error());
                }
            }
            results.add(result);
        }
        return results;
    }

    private static List<String> eventIds(final EventReader.Reading[] readings) {
        final List<String> ids = new ArrayList<>(readings.length);
        for (final EventReader.Reading reading : readings) {
            if (reading instanceof EventReader.Valid valid) {
                ids.add(valid.event().getEventId());
            }
        }
        return ids;
    }

    /** Worth a 503: the same request can succeed later (CLOSED: this collector is stopping, another may not be). */
    private static boolean meansUnavailable(final PublishException failure) {
        return failure.isRetriable() || failure.reason() == PublishException.Reason.CLOSED;
    }

    private static PublishException failureOf(final CompletableFuture<?> sent) {
        if (!sent.isCompletedExceptionally()) {
            return null;
        }
        final Throwable error = sent.exceptionNow();
        if (error instanceof PublishException publish) {
            return publish;
        }
        // A sink other than EventPublisher: an unexplained failure is treated as the event not written.
        return new PublishException(PublishException.Reason.KAFKA_UNAVAILABLE, String.valueOf(error), error);
    }

    /** Logs the start and end of a Kafka outage once each, not once per request. */
    private static final class KafkaOutageLog {
        private volatile boolean down;

        void unavailable(final String cause) {
            if (!down) {
                down = true;
                LOG.warn("Answering 503 while Kafka does not acknowledge: {}", cause);
            }
        }

        void available() {
            if (down) {
                down = false;
                LOG.info("Kafka acknowledges again; accepting events");
            }
        }
    }
}
