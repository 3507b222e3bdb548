package io.rollstream.topologies.admission;

import io.rollstream.engine.EntityDefinition;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import io.rollstream.topologies.ingest.ProcessorMetrics;
import io.rollstream.topologies.ingest.RejectReason;
import io.rollstream.topologies.ingest.ValidEvent;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The last gate before features: an event older than the allowed lateness is dead-lettered (no
 * window kept can hold it), an event id seen within the dedupe horizon is dropped and counted
 * (producers retry; an event must count once), and every other event is sent on to each entity
 * on this partition and to the topics that move it to its other entities' partitions.
 *
 * <p>Event ids are remembered in a window store keyed by id at the stream time they arrived, for
 * the horizon: a retry arriving within the horizon after the original counts once, however old
 * its event time. Memory is bounded by the horizon's worth of arrivals, since segments older than
 * it are dropped whole (keying by event time instead would keep ids for the whole allowed
 * lateness, 30 days with the default features).
 *
 * <p>Nearly every id is new, and asking the window store costs an iterator per segment; a
 * {@link RecentEventIds} filter in memory answers "new" for almost all of them and sends only
 * possible duplicates on to the store. It is filled from the store when the task starts, so it
 * knows what the restored store knows.
 */
public final class AdmissionProcessorSupplier implements ProcessorSupplier<String, ValidEvent, Object, Object> {

    /** A topic sink that moves events to the partition of another entity key field. */
    public record PartitionSink(String node, EntityDefinition entityOfField) {
    }

    /**
     * Memory one task's id filter may grow to: at 4 bytes per slot and 8 slots per id, about a
     * million ids within the horizon per task before its false positives (lookups that go on to
     * the store) start to rise above 3%. The generation it grew from stays for one more horizon.
     */
    static final long ID_FILTER_MAX_BYTES = 32L << 20;

    private final String dedupeStore;
    private final Duration allowedLateness;
    private final Duration dedupeHorizon;
    private final String deadLetterChild;
    private final List<String> localEntities;
    private final List<PartitionSink> partitionSinks;

    public AdmissionProcessorSupplier(final String dedupeStore, final Duration allowedLateness,
                                      final Duration dedupeHorizon, final String deadLetterChild,
                                      final List<String> localEntities, final List<PartitionSink> partitionSinks) {
        this.dedupeStore = dedupeStore;
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

        private static final byte[] SEEN = new byte[0];
        private final long latenessMs = allowedLateness.toMillis();
        private final long horizonMs = dedupeHorizon.toMillis();
        private ProcessorContext<Object, Object> context;
        private WindowStore<String, byte[]> seen;
        private RecentEventIds recent;
        private Sensor lateSensor;
        private Sensor duplicateSensor;

        @Override
        public void init(final ProcessorContext<Object, Object> context) {
            this.context = context;
            this.seen = context.getStateStore(dedupeStore);
            if (horizonMs > 0) {
                this.recent = new RecentEventIds(horizonMs, ID_FILTER_MAX_BYTES);
                rememberStoredIds();
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
            if (horizonMs > 0 && isDuplicate(valid.event().getEventId(), streamTime)) {
                duplicateSensor.record();
                return;
            }
            for (final String entity : localEntities) {
                context.forward(record, entity);
            }
            for (final PartitionSink sink : partitionSinks) {
                final Object key = sink.entityOfField().partitionField().value(valid.event());
                if (key != null) {
                    context.forward(new Record<Object, Object>(key, valid.originalValue(), record.timestamp(),
                            record.headers()), sink.node());
                }
            }
        }

        private boolean isDuplicate(final String eventId, final long streamTime) {
            if (recent.mightContain(eventId, streamTime)) {
                try (WindowStoreIterator<byte[]> earlier = seen.fetch(eventId, streamTime - horizonMs, streamTime)) {
                    if (earlier.hasNext()) {
                        return true;
                    }
                }
            }
            seen.put(eventId, SEEN, streamTime);
            recent.add(eventId, streamTime);
            return false;
        }

        /** Fills the filter with every id the store remembers (restored, or left by an earlier run). */
        private void rememberStoredIds() {
            try (KeyValueIterator<Windowed<String>, byte[]> ids = seen.all()) {
                while (ids.hasNext()) {
                    final Windowed<String> id = ids.next().key;
                    recent.add(id.key(), id.window().start());
                }
            }
        }

        private void deadLetterLate(final Record<String, ValidEvent> record, final long eventTime, final long streamTime) {
            lateSensor.record();
            final String message = "event_time " + Instant.ofEpochMilli(eventTime) + " is "
                    + Duration.ofMillis(streamTime - eventTime) + " behind stream time " + Instant.ofEpochMilli(streamTime)
                    + "; allowed lateness is " + allowedLateness + " (event " + record.value().event().getEventId() + ")";
            context.forward(new Record<Object, Object>(record.key().getBytes(StandardCharsets.UTF_8),
                    record.value().originalValue(), record.timestamp(),
                    DeadLetterHeaders.with(record.headers(), RejectReason.LATE_EVENT, "Validation", message,
                            context.recordMetadata(), context.currentSystemTimeMs())), deadLetterChild);
        }
    }
}
