package io.rollstream.topologies.features;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import io.rollstream.topologies.ingest.ProcessorMetrics;
import io.rollstream.topologies.ingest.RejectReason;
import io.rollstream.topologies.ingest.ValidEvent;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;

/**
 * Folds each valid event into its entity's tiles in the state store. An event older than the
 * allowed lateness (relative to the task's stream time) could no longer change any window, so it
 * is counted and dead-lettered instead.
 */
public final class EntityFeaturesProcessorSupplier implements ProcessorSupplier<String, ValidEvent, byte[], byte[]> {

    private final FeatureEngine engine;
    private final String storeName;
    private final String deadLetterChild;

    public EntityFeaturesProcessorSupplier(final FeatureEngine engine, final String storeName, final String deadLetterChild) {
        this.engine = engine;
        this.storeName = storeName;
        this.deadLetterChild = deadLetterChild;
    }

    @Override
    public Processor<String, ValidEvent, byte[], byte[]> get() {
        return new EntityFeaturesProcessor();
    }

    private final class EntityFeaturesProcessor implements Processor<String, ValidEvent, byte[], byte[]> {

        private final long allowedLatenessMs = engine.featureSet().allowedLateness().toMillis();
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<String, EntityState> store;
        private Sensor lateSensor;

        @Override
        public void init(final ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
            this.lateSensor = ProcessorMetrics.rateTotal(context, "features", "late-records");
        }

        @Override
        public void process(final Record<String, ValidEvent> record) {
            final ValidEvent valid = record.value();
            final long eventTime = valid.eventTimeMs();
            final long streamTime = context.currentStreamTimeMs();
            if (eventTime < streamTime - allowedLatenessMs) {
                lateSensor.record();
                final String message = "event_time " + Instant.ofEpochMilli(eventTime) + " is "
                        + Duration.ofMillis(streamTime - eventTime) + " behind stream time " + Instant.ofEpochMilli(streamTime)
                        + "; allowed lateness is " + engine.featureSet().allowedLateness() + " (event "
                        + valid.event().getEventId() + ")";
                context.forward(new Record<>(record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        valid.originalValue(), record.timestamp(),
                        DeadLetterHeaders.with(record.headers(), RejectReason.LATE_EVENT, "Validation", message,
                                context.recordMetadata(), context.currentSystemTimeMs())), deadLetterChild);
                return;
            }
            EntityState state = store.get(record.key());
            if (state == null) {
                state = engine.newState();
            }
            engine.fold(state, valid.event());
            store.put(record.key(), state);
        }
    }
}
