package io.rollstream.topologies.ingest;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.contract.EventValidator;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Ingest: judges each raw record ({@link RecordJudge}: limits, decoding, the contract's rules) and
 * sends it one of three ways — to the dead-letter topic with the reason (never stopping the
 * application), to its owner partition when it arrived on another one, or straight on to the
 * feature processor keyed by user id.
 */
public final class IngestProcessorSupplier implements ProcessorSupplier<byte[], byte[], Object, Object> {

    /**
     * Where this processor sends its records; the topology wires children with these names.
     *
     * @param next        every processor that takes valid events
     * @param rekey       the sink to the owner partition, or null where events are never moved
     */
    public record Children(List<String> next, String deadLetters, String rekey) {
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

        private final RecordJudge judge = new RecordJudge(deserializers.get(), validator);
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
            final RecordJudge.Verdict verdict = judge.judge(source.map(RecordMetadata::topic).orElse(""), record.key(),
                    record.value(), record.headers(), record.timestamp(), context.currentSystemTimeMs());
            if (verdict instanceof RecordJudge.Rejected rejected) {
                reject(record, rejected.reason(), rejected.exception(), rejected.message(), source);
                return;
            }
            final ClickEvent event = ((RecordJudge.Admissible) verdict).event();
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
            judge.close();
        }
    }
}
