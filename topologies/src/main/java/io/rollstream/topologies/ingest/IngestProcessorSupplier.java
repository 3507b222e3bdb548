package io.rollstream.topologies.ingest;

import io.rollstream.schemas.contract.Texts;
import io.rollstream.schemas.contract.EventValidator;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import io.rollstream.schemas.registry.SchemaNotFoundException;
import io.rollstream.schemas.registry.SchemaRegistryUnavailableException;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Ingest: decodes each raw record, validates it, and sends it one of three ways — to the
 * dead-letter topic with the reason (never stopping the application), to its owner partition when
 * it arrived on another one, or straight on to the feature processor keyed by user id.
 */
public final class IngestProcessorSupplier implements ProcessorSupplier<byte[], byte[], Object, Object> {

    /**
     * Where this processor sends its records; the topology wires children with these names.
     *
     * @param next        every processor that takes valid events
     * @param rekey       the sink to the owner partition, or null where events are never moved
     */
    public record Children(java.util.List<String> next, String deadLetters, String rekey) {
    }

    private final Supplier<ConfluentAvroDeserializer<ClickEvent>> deserializers;
    private final EventValidator validator;
    private final OwnerPartition ownerPartition;
    private final Children children;

    /**
     * Events read back from the re-keyed or a partitioned-by topic are on their owner partition by
     * construction: give them children without a rekey sink, so nothing can loop.
     */
    public IngestProcessorSupplier(final Supplier<ConfluentAvroDeserializer<ClickEvent>> deserializers, final EventValidator validator,
                                   final OwnerPartition ownerPartition, final Children children) {
        this.deserializers = deserializers;
        this.validator = validator;
        this.ownerPartition = ownerPartition;
        this.children = children;
    }

    @Override
    public Processor<byte[], byte[], Object, Object> get() {
        return new IngestProcessor();
    }

    private final class IngestProcessor implements Processor<byte[], byte[], Object, Object> {

        private static final Logger LOG = LoggerFactory.getLogger(IngestProcessor.class);
        private static final String VALIDATION = "Validation";

        private final ConfluentAvroDeserializer<ClickEvent> deserializer = deserializers.get();
        private final Map<RejectReason, Sensor> rejectedSensors = new EnumMap<>(RejectReason.class);
        private ProcessorContext<Object, Object> context;
        private Sensor rekeyedSensor;

        @Override
        public void init(final ProcessorContext<Object, Object> context) {
            this.context = context;
            this.rekeyedSensor = ProcessorMetrics.rateTotal(context, "ingest", "rekeyed-records");
        }

        @Override
        public void process(final Record<byte[], byte[]> record) {
            final Optional<RecordMetadata> source = context.recordMetadata();
            final Optional<String> outsideLimits = rawProblem(record, source.map(RecordMetadata::topic).orElse(""));
            if (outsideLimits.isPresent()) {
                reject(record, RejectReason.OVERSIZED, VALIDATION, outsideLimits.get(), source);
                return;
            }
            final OptionalLong futureStamp = RecordTimeGuard.replacedStamp(record.headers());
            if (futureStamp.isPresent()) {
                reject(record, RejectReason.FUTURE_RECORD_TIME, VALIDATION, "the record is stamped "
                        + Instant.ofEpochMilli(futureStamp.getAsLong()) + ", further ahead of this instance's clock ("
                        + Instant.ofEpochMilli(context.currentSystemTimeMs()) + ") than the events topic allows; "
                        + "let in, it would move its partition's stream time ahead and make later events late. "
                        + "Check the producer's clock, and set message.timestamp.after.max.ms on the topic", source);
                return;
            }
            final ClickEvent event;
            try {
                if (record.value() == null || record.value().length == 0) {
                    reject(record, RejectReason.MALFORMED, "NullValue", "record has no value", source);
                    return;
                }
                event = deserializer.deserialize(source.map(RecordMetadata::topic).orElse(""), record.headers(), record.value());
            } catch (final SchemaRegistryUnavailableException e) {
                // Not the record's fault: fail the task so it is retried from the last commit once
                // the registry answers, instead of dead-lettering good data.
                throw e;
            } catch (final SchemaNotFoundException e) {
                reject(record, RejectReason.UNKNOWN_SCHEMA, e.getClass().getName(), e.getMessage(), source);
                return;
            } catch (final RuntimeException e) {
                reject(record, RejectReason.MALFORMED, e.getClass().getName(), e.getMessage(), source);
                return;
            }

            final Optional<EventValidator.Violation> violation = validator.check(event,
                    record.value().length - ConfluentWireFormat.HEADER_SIZE, record.timestamp());
            if (violation.isPresent()) {
                reject(record, violation.get().reason(), VALIDATION, violation.get().message() + " (field "
                        + violation.get().field() + ", event " + Texts.abbreviate(event.getEventId()) + ")", source);
                return;
            }

            final String userId = event.getUserId();
            if (children.rekey() != null && source.isPresent() && ownerPartition.of(userId) != source.get().partition()) {
                rekeyedSensor.record();
                context.forward(new Record<Object, Object>(userId, record.value(), record.timestamp(), record.headers()),
                        children.rekey());
                return;
            }
            // The record keeps its own timestamp (when it was produced): downstream topics are read
            // by other tasks, whose stream time, and so lateness, must follow arrival, not event time.
            final Record<Object, Object> valid = new Record<>(userId,
                    new ValidEvent(event, record.value()), record.timestamp(), record.headers());
            for (final String next : children.next()) {
                context.forward(valid, next);
            }
        }

        /**
         * The record's key, headers or value past their limits: checked before decoding, as a relay
         * or a dead letter carries them along, and a value is never decoded that is larger than an
         * event may be (decoding costs a multiple of the bytes in objects).
         */
        private Optional<String> rawProblem(final Record<byte[], byte[]> record, final String topic) {
            final EventLimits limits = validator.limits();
            final byte[] value = record.value();
            if (value != null && value.length - ConfluentWireFormat.HEADER_SIZE > limits.maxEventBytes()) {
                final Optional<String> largest = deserializer.largestField(topic, value);
                return Optional.of("the event holds " + (value.length - ConfluentWireFormat.HEADER_SIZE)
                        + " bytes of Avro, over the limit of " + limits.maxEventBytes() + " ("
                        + EventLimits.MAX_EVENT_BYTES_CONFIG + ")" + largest.map(f -> ", most of them in " + f).orElse("")
                        + "; refused before decoding (field " + largest.map(f -> f.substring(0, f.indexOf(' ')))
                        .orElse(EventValidator.WHOLE_EVENT) + ")");
            }
            if (record.key() != null && record.key().length > limits.maxRecordKeyBytes()) {
                return Optional.of("the record's key has " + record.key().length + " bytes, over the limit of "
                        + limits.maxRecordKeyBytes() + " (" + EventLimits.MAX_RECORD_KEY_BYTES_CONFIG + "); refused before "
                        + "decoding (field key)");
            }
            final long headerBytes = EventLimits.headerBytes(record.headers());
            if (headerBytes > limits.maxRecordHeaderBytes()) {
                return Optional.of("the record's headers have " + headerBytes + " bytes, over the limit of "
                        + limits.maxRecordHeaderBytes() + " (" + EventLimits.MAX_RECORD_HEADER_BYTES_CONFIG
                        + ", counting " + EventLimits.HEADER_OVERHEAD_BYTES + " bytes a header); refused before decoding "
                        + "(field headers)");
            }
            return Optional.empty();
        }

        private void reject(final Record<byte[], byte[]> record, final RejectReason reason, final String exception,
                            final String message, final Optional<RecordMetadata> source) {
            rejectedSensors.computeIfAbsent(reason,
                    r -> ProcessorMetrics.rateTotal(context, "ingest", "dead-lettered-" + ProcessorMetrics.slug(r.name()))).record();
            if (LOG.isDebugEnabled()) {
                LOG.debug("Dead-lettering record at {}: {} ({})", source.map(Object::toString).orElse("?"), reason, message);
            }
            final DeadLetter letter = DeadLetter.of(record.key(), record.value(), record.headers(), reason, exception,
                    message, DeadLetter.Source.of(source), context.currentSystemTimeMs());
            context.forward(new Record<Object, Object>(letter.key(), letter.value(), record.timestamp(), letter.headers()),
                    children.deadLetters());
        }

        @Override
        public void close() {
            deserializer.close();
        }
    }
}
