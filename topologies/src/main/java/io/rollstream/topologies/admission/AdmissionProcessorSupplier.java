package io.rollstream.topologies.admission;

import io.rollstream.engine.EntityDefinition;
import io.rollstream.schemas.EventType;
import io.rollstream.topologies.ingest.DeadLetter;
import io.rollstream.topologies.ingest.ProcessorMetrics;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.topologies.ingest.ValidEvent;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The last gate before features: an event older than the allowed lateness is dead-lettered (no
 * window kept can hold it), an event id seen within the dedupe horizon is dropped and counted
 * (producers retry; an event must count once), and every other event is sent on to each entity
 * on this partition and to the topics that move it to its other entities' partitions — to those
 * only when an entity there looks at its event type, as a relayed event costs a produce, a fetch
 * and a second decode.
 *
 * <p>Event ids are remembered by {@link SeenEventIds} at the stream time they arrived, for the
 * horizon: a retry arriving within the horizon after the original counts once, however old its
 * event time. Memory and storage are bounded by the horizon's worth of arrivals (keying by event
 * time instead would keep ids for the whole allowed lateness, 30 days with the default features).
 */
public final class AdmissionProcessorSupplier implements ProcessorSupplier<String, ValidEvent, Object, Object> {

    /**
     * A topic sink that moves events to the partition of another entity key field.
     *
     * @param eventTypes the event types some entity keyed by that field looks at: others are not moved
     */
    public record PartitionSink(String node, EntityDefinition entityOfField, Set<EventType> eventTypes) {
        public PartitionSink {
            eventTypes = eventTypes.isEmpty() ? Set.of() : EnumSet.copyOf(eventTypes);
        }
    }

    private final String dedupeStore;
    private final String dedupeIndex;
    private final Duration allowedLateness;
    private final Duration dedupeHorizon;
    private final String deadLetterChild;
    private final List<String> localEntities;
    private final List<PartitionSink> partitionSinks;

    /**
     * @param dedupeStore a {@link SeenEventIdsStoreBuilder} store; unused when the horizon is zero
     * @param dedupeIndex an unlogged window store of ids keeping at least the horizon
     */
    public AdmissionProcessorSupplier(final String dedupeStore, final String dedupeIndex, final Duration allowedLateness,
                                      final Duration dedupeHorizon, final String deadLetterChild,
                                      final List<String> localEntities, final List<PartitionSink> partitionSinks) {
        this.dedupeStore = dedupeStore;
        this.dedupeIndex = dedupeIndex;
        this.allowedLateness = allowedLateness;
        this.dedupeHorizon = dedupeHorizon;
        this.deadLetterChild = deadLetterChild;
        this.localEntities = List.copyOf(localEntities);
        this.partitionSinks = List.copyOf(partitionSinks);
    }

    @Override
    public Processor<String, ValidEvent, Object, Object> get() {
        return new AdmissionProcessor();
    }

    private final class AdmissionProcessor implements Processor<String, ValidEvent, Object, Object> {

        private final long latenessMs = allowedLateness.toMillis();
        private final long horizonMs = dedupeHorizon.toMillis();
        private ProcessorContext<Object, Object> context;
        private SeenEventIds seen;
        private Sensor lateSensor;
        private Sensor duplicateSensor;

        @Override
        public void init(final ProcessorContext<Object, Object> context) {
            this.context = context;
            if (horizonMs > 0) {
                this.seen = context.getStateStore(dedupeStore);
                seen.open(context.getStateStore(dedupeIndex));
            }
            this.lateSensor = ProcessorMetrics.rateTotal(context, "admission", "late-records");
            this.duplicateSensor = ProcessorMetrics.rateTotal(context, "admission", "duplicate-records");
        }

        @Override
        public void process(final Record<String, ValidEvent> record) {
            final ValidEvent valid = record.value();
            final long eventTime = valid.eventTimeMs();
            final long streamTime = context.currentStreamTimeMs();
            if (eventTime < streamTime - latenessMs) {
                deadLetterLate(record, eventTime, streamTime);
                return;
            }
            if (horizonMs > 0 && seen.seenBefore(valid.event().getEventId(), streamTime)) {
                duplicateSensor.record();
                return;
            }
            for (final String entity : localEntities) {
                context.forward(record, entity);
            }
            for (final PartitionSink sink : partitionSinks) {
                if (!sink.eventTypes().contains(valid.event().getEventType())) {
                    continue;
                }
                final Object key = sink.entityOfField().partitionField().value(valid.event());
                if (key != null) {
                    context.forward(new Record<Object, Object>(key, valid.originalValue(), record.timestamp(),
                            record.headers()), sink.node());
                }
            }
        }

        private void deadLetterLate(final Record<String, ValidEvent> record, final long eventTime, final long streamTime) {
            lateSensor.record();
            final String message = "event_time " + Instant.ofEpochMilli(eventTime) + " is "
                    + Duration.ofMillis(streamTime - eventTime) + " behind stream time " + Instant.ofEpochMilli(streamTime)
                    + "; allowed lateness is " + allowedLateness + " (event " + record.value().event().getEventId() + ")";
            final DeadLetter letter = DeadLetter.of(record.key().getBytes(StandardCharsets.UTF_8),
                    record.value().originalValue(), record.headers(), RejectReason.LATE_EVENT, "Validation", message,
                    DeadLetter.Source.of(context.recordMetadata()), context.currentSystemTimeMs());
            context.forward(new Record<Object, Object>(letter.key(), letter.value(), record.timestamp(), letter.headers()),
                    deadLetterChild);
        }
    }
}
