package io.rollstream.topologies.errors;

import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.topologies.ingest.DeadLetter;
import io.rollstream.topologies.ingest.ValidEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One bad record never stops a partition: when processing a record throws, the record goes to
 * {@link Topics#DEAD_LETTERS} as {@link RejectReason#PROCESSING_FAILED} — its original key, value and
 * headers, the exception's class and message, and where it was read — and its task goes on with the
 * next record. Failures that are not the record's fault ({@link NotTheRecordsFault}: the registry
 * down, Kafka Streams' own errors) fail the task instead, so that it is retried from its last commit;
 * the stream thread's uncaught-exception handler then replaces the thread. Every outcome is counted
 * and logged, rate-limited, by {@link ProcessingFailures}.
 *
 * <p>What reaches a processing exception handler in Kafka Streams 4.3 ({@code ProcessorNode.process}
 * and {@code StreamTask.punctuate}):
 * <ul>
 *   <li>any {@link Exception} thrown by a processor's {@code process} — including what the state
 *       stores it calls throw there (an entity store writes an entity leaving its cache inside the
 *       get or put that pushed it out, so that write's failure is charged to the record being
 *       processed) and what a send to a sink or changelog throws at once (Kafka Streams' own errors,
 *       such as an earlier send's fatal failure: see {@link NotTheRecordsFault}). Kafka Streams
 *       catches it in the innermost processor that threw, so
 *       {@code RESUME} continues in its parent: an admitted event whose user entity threw still
 *       reaches the other entities. A failure in the middle of a fold may leave that entity's state
 *       partly changed, since the engine does not undo a fold;</li>
 *   <li>any {@link Exception} thrown by a punctuator, with no record ({@code record} null, offset -1):
 *       nothing is dead-lettered, the failure is counted as skipped and the punctuation runs again at
 *       its next schedule.</li>
 * </ul>
 * What does not reach it: {@code TaskMigratedException}, {@code TaskCorruptedException} and a
 * {@code FailedProcessingException} (another handler's {@code FAIL}), which {@code ProcessorNode}
 * rethrows; {@link Error}s; a failure while deserializing the source record (Rollstream's sources
 * read raw bytes, and ingest dead-letters what does not decode); a failed asynchronous send (the
 * production exception handler's); and anything thrown outside processing — notably a store's
 * {@code flushCache} at commit ({@code ProcessorStateManager.flushCache} wraps it in a
 * {@code ProcessorStateException} that fails the stream thread), where the entity stores write what
 * a commit interval changed and no single record is to blame, as well as {@code init},
 * {@code close} and restoration.
 *
 * <p>The original bytes: Kafka Streams gives the handler the source record's raw key and value
 * ({@link ErrorHandlerContext#sourceRawKey}) until a send to a sink made while processing the record,
 * when it frees them ({@code RecordCollectorImpl.send}; changelog writes do not count). Rollstream's
 * processors send to a sink only as their last step for a record — dead-lettering it, re-keying it,
 * or, in admission, moving it to another entity's partitions after this partition's entities took
 * it — so the raw bytes are there for any failure today. Should that change, the value is still the
 * event's original bytes, which the processors carry along ({@link ValidEvent#originalValue}), and
 * the key is the one the failing processor got: the user id, which is the source key of every
 * record on the events topic keyed as the contract says and on the re-keyed topic, but not on a
 * topic that moved events to another entity's partitions (keyed there by the item id, say).
 *
 * <p>Configured by {@link #streamsSettings}. {@code processing.exception.handler.global.enabled}
 * (deprecated in 4.3, always on from 5.0) applies it to global stores too; Rollstream has none, and
 * Kafka 4.3 could not send their dead letters anyway (it logs that it drops them).
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {

    /**
     * The {@link ProcessingFailures} (an object, not a string) that counts and logs for every
     * handler of one Kafka Streams client; without it a handler counts into a registry of its own,
     * which nothing exports.
     */
    public static final String FAILURES_CONFIG = "rollstream.processing-failures";

    /** Each message in a description is cut here: it goes into headers and log lines, and may hold a record's content. */
    private static final int MAX_MESSAGE_CHARS = 500;

    private ProcessingFailures failures;

    /** The Kafka Streams settings that install this handler, reporting to {@code failures}. */
    public static Map<String, Object> streamsSettings(final ProcessingFailures failures) {
        return Map.of(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingExceptionHandler.class,
                FAILURES_CONFIG, failures);
    }

    @Override
    public void configure(final Map<String, ?> configs) {
        final Object given = configs.get(FAILURES_CONFIG);
        if (given == null) {
            failures = new ProcessingFailures(new Metrics());
        } else if (given instanceof ProcessingFailures shared) {
            failures = shared;
        } else {
            throw new ConfigException(FAILURES_CONFIG, given, "give a " + ProcessingFailures.class.getName()
                    + " instance (DeadLetterProcessingExceptionHandler.streamsSettings does), or leave it out");
        }
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record, final Exception exception) {
        final Optional<Throwable> notTheRecords = NotTheRecordsFault.find(exception);
        if (notTheRecords.isPresent()) {
            failures.taskFailed(context, notTheRecords.get());
            return Response.fail();
        }
        if (record == null || context.topic() == null || context.offset() < 0) {
            failures.skipped(context, exception);
            return Response.resume();
        }
        final DeadLetter.Source source = new DeadLetter.Source(context.topic(), context.partition(), context.offset());
        DeadLetter letter;
        try {
            letter = DeadLetter.of(originalKey(context, record), originalValue(context, record),
                    context.headers(), RejectReason.PROCESSING_FAILED, exception.getClass().getName(),
                    "processor " + context.processorNodeId() + " (task " + context.taskId() + ") threw: " + describe(exception),
                    Optional.of(source), failures.nowMs());
        } catch (final RuntimeException unusual) {
            // Whatever throws here (an exception whose getMessage throws, headers that cannot be
            // read) would otherwise fail the thread on this record at every replacement: the dead
            // letter keeps the raw bytes, the reason and the source, and nothing the failure touched.
            letter = DeadLetter.of(context.sourceRawKey(), context.sourceRawValue(), new RecordHeaders(),
                    RejectReason.PROCESSING_FAILED, exception.getClass().getName(),
                    "processing threw, and describing it threw " + unusual.getClass().getName(), Optional.of(source),
                    failures.nowMs());
        }
        failures.deadLettered(context, exception);
        final Long timestamp = context.timestamp() < 0 ? null : context.timestamp();
        return Response.resume(List.of(new ProducerRecord<>(Topics.DEAD_LETTERS, null, timestamp, letter.key(),
                letter.value(), letter.headers())));
    }

    private static byte[] originalKey(final ErrorHandlerContext context, final Record<?, ?> record) {
        if (context.sourceRawKey() != null) {
            return context.sourceRawKey();
        }
        return switch (record.key()) {
            case byte[] bytes -> bytes;
            case String key -> key.getBytes(StandardCharsets.UTF_8);
            case null, default -> null;
        };
    }

    private static byte[] originalValue(final ErrorHandlerContext context, final Record<?, ?> record) {
        if (context.sourceRawValue() != null) {
            return context.sourceRawValue();
        }
        return switch (record.value()) {
            case byte[] bytes -> bytes;
            case ValidEvent event -> event.originalValue();
            case null, default -> null;
        };
    }

    /**
     * The exception and its first causes (a cycle stops at the fifth), class and message each: what a
     * dead letter's reader needs to see why.
     */
    static String describe(final Throwable failure) {
        final StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 5; cause = cause.getCause(), depth++) {
            if (depth > 0) {
                text.append("; caused by ");
            }
            text.append(cause.getClass().getName());
            final String message = messageOf(cause);
            if (message != null) {
                text.append(": ").append(message.length() <= MAX_MESSAGE_CHARS ? message
                        : message.substring(0, MAX_MESSAGE_CHARS) + "…");
            }
        }
        return text.toString();
    }

    /** A message can be anything a processor put there, even code that throws. */
    private static String messageOf(final Throwable cause) {
        try {
            return cause.getMessage();
        } catch (final RuntimeException unusual) {
            return "(its message could not be read: " + unusual.getClass().getName() + ")";
        }
    }
}
