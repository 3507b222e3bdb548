package io.rollstream.topologies.ingest;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.schemas.contract.EventValidator;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.contract.Texts;
import io.rollstream.schemas.registry.SchemaNotFoundException;
import io.rollstream.schemas.registry.SchemaRegistryUnavailableException;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import org.apache.kafka.common.header.Headers;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the ingest makes of one raw record of the events topic: an event it may admit, or the reason
 * it is dead-lettered with. One judgement, used by the ingest processor and by the tools that
 * replay a topic offline, so that a replay shows a record with the verdict the pipeline gave it.
 *
 * <p>In order: the key, headers and value against their limits (before decoding: a relay or a dead
 * letter carries them along, and nothing larger than an event may be is decoded); the far-future
 * stamp the {@link RecordTimeGuard} marked; the Confluent wire format and Avro; then the contract's
 * rules ({@link EventValidator}) with the record's own timestamp as "now". Not the record's fault,
 * and so thrown rather than judged: a registry that does not answer.
 */
public final class RecordJudge {

    /** The verdict on one record. */
    public sealed interface Verdict permits Admissible, Rejected {
    }

    /** An event the ingest passes on to admission. */
    public record Admissible(ClickEvent event) implements Verdict {
    }

    /** A record the ingest dead-letters: the reason, the error class (or {@code Validation}) and a message. */
    public record Rejected(RejectReason reason, String exception, String message) implements Verdict {
    }

    static final String VALIDATION = "Validation";

    private final ConfluentAvroDeserializer<ClickEvent> deserializer;
    private final EventValidator validator;

    public RecordJudge(final ConfluentAvroDeserializer<ClickEvent> deserializer, final EventValidator validator) {
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /**
     * @param nowMs this instance's clock, for the message of a record the time guard marked
     * @throws SchemaRegistryUnavailableException when the registry did not answer: retry, do not dead-letter
     */
    public Verdict judge(final String topic, final byte[] key, final byte[] value, final Headers headers,
                         final long timestamp, final long nowMs) {
        final Optional<String> outsideLimits = rawProblem(topic, key, value, headers);
        if (outsideLimits.isPresent()) {
            return new Rejected(RejectReason.OVERSIZED, VALIDATION, outsideLimits.get());
        }
        final OptionalLong futureStamp = RecordTimeGuard.replacedStamp(headers);
        if (futureStamp.isPresent()) {
            return new Rejected(RejectReason.FUTURE_RECORD_TIME, VALIDATION, "the record is stamped "
                    + Instant.ofEpochMilli(futureStamp.getAsLong()) + ", further ahead of this instance's clock ("
                    + Instant.ofEpochMilli(nowMs) + ") than the events topic allows; let in, it would move its "
                    + "partition's stream time ahead and make later events late. Check the producer's clock, and set "
                    + "message.timestamp.after.max.ms on the topic");
        }
        if (value == null || value.length == 0) {
            return new Rejected(RejectReason.MALFORMED, "NullValue", "record has no value");
        }
        final ClickEvent event;
        try {
            event = deserializer.deserialize(topic, headers, value);
        } catch (final SchemaRegistryUnavailableException e) {
            throw e;
        } catch (final SchemaNotFoundException e) {
            return new Rejected(RejectReason.UNKNOWN_SCHEMA, e.getClass().getName(), e.getMessage());
        } catch (final RuntimeException e) {
            return new Rejected(RejectReason.MALFORMED, e.getClass().getName(), e.getMessage());
        }
        final Optional<EventValidator.Violation> violation = validator.check(event,
                value.length - ConfluentWireFormat.HEADER_SIZE, timestamp);
        if (violation.isPresent()) {
            return new Rejected(violation.get().reason(), VALIDATION, violation.get().message() + " (field "
                    + violation.get().field() + ", event " + Texts.abbreviate(String.valueOf(event.getEventId())) + ")");
        }
        return new Admissible(event);
    }

    /** The key, headers or value past their limits, said as a dead letter's message. */
    private Optional<String> rawProblem(final String topic, final byte[] key, final byte[] value, final Headers headers) {
        final EventLimits limits = validator.limits();
        if (value != null && value.length - ConfluentWireFormat.HEADER_SIZE > limits.maxEventBytes()) {
            final Optional<String> largest = deserializer.largestField(topic, value);
            return Optional.of("the event holds " + (value.length - ConfluentWireFormat.HEADER_SIZE)
                    + " bytes of Avro, over the limit of " + limits.maxEventBytes() + " ("
                    + EventLimits.MAX_EVENT_BYTES_CONFIG + ")" + largest.map(f -> ", most of them in " + f).orElse("")
                    + "; refused before decoding (field " + largest.map(f -> f.substring(0, f.indexOf(' ')))
                    .orElse(EventValidator.WHOLE_EVENT) + ")");
        }
        if (key != null && key.length > limits.maxRecordKeyBytes()) {
            return Optional.of("the record's key has " + key.length + " bytes, over the limit of "
                    + limits.maxRecordKeyBytes() + " (" + EventLimits.MAX_RECORD_KEY_BYTES_CONFIG + "); refused before "
                    + "decoding (field key)");
        }
        final long headerBytes = EventLimits.headerBytes(headers);
        if (headerBytes > limits.maxRecordHeaderBytes()) {
            return Optional.of("the record's headers have " + headerBytes + " bytes, over the limit of "
                    + limits.maxRecordHeaderBytes() + " (" + EventLimits.MAX_RECORD_HEADER_BYTES_CONFIG
                    + ", counting " + EventLimits.HEADER_OVERHEAD_BYTES + " bytes a header); refused before decoding "
                    + "(field headers)");
        }
        return Optional.empty();
    }

    public void close() {
        deserializer.close();
    }
}
