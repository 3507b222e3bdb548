package io.rollstream.topologies.admission;

import io.rollstream.topologies.admission.EventIdBatch.Admitted;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's dedupe memory: which event ids were admitted within the horizon. Three parts, one
 * job each:
 *
 * <ul>
 *   <li><b>The log</b> (this store's inner, logged key-value store) is what survives. The ids
 *       admitted between two commits are written as one record ({@link EventIdBatch}) under an
 *       increasing batch number when Kafka Streams flushes before the commit, so the changelog
 *       takes one record per commit instead of one per event (with the index below, the engine
 *       benchmark went from 0.17 to 0.19 of a bare count; docs/benchmarks.md). Batches whose every
 *       id is past the horizon are deleted.</li>
 *   <li><b>The index</b>, an unlogged key-value store of ids at their arrival time
 *       ({@link EventIdIndexKeys}), answers exact lookups with one key range. It is written only
 *       together with the log, a batch at a time (one RocksDB write batch, not a put per id), and
 *       a batch's ids are deleted from it when the batch leaves the log, so it never holds an id the
 *       log lacks (under at-least-once a crash cannot make it drop events whose effects were never
 *       committed). It records the last batch it holds; {@link #open} rebuilds it from the log
 *       when that is not the log's last (after a wipe, a standby period or a move).</li>
 *   <li><b>Memory</b>: the ids admitted since the last flush, and a {@link RecentEventIds} filter
 *       in front of everything, which answers "new" for nearly every id without asking the index.</li>
 * </ul>
 *
 * Single-threaded: the stream thread that owns the task calls everything.
 */
final class SeenEventIds extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]> {

    private static final byte[] SEEN = new byte[0];
    private static final int CLEAR_BATCH = 10_000;

    /** A batch in the log: its key and the newest arrival in it, to know when it expires. */
    private record Logged(long batch, long newestArrivalMs) {
    }

    private final long horizonMs;
    private final long filterMaxBytes;
    private final Map<String, Long> sinceFlush = new LinkedHashMap<>();
    private final Deque<Logged> logged = new ArrayDeque<>();
    /** Both set by {@link #open}, both null while the store is not open for processing. */
    private KeyValueStore<Bytes, byte[]> index;
    private RecentEventIds recent;
    private long nextBatch;
    private long streamTimeMs = Long.MIN_VALUE;

    SeenEventIds(final KeyValueStore<Bytes, byte[]> log, final long horizonMs, final long filterMaxBytes) {
        super(log);
        if (horizonMs <= 0) {
            throw new IllegalArgumentException("the dedupe horizon must be positive, was " + horizonMs + " ms");
        }
        this.horizonMs = horizonMs;
        this.filterMaxBytes = filterMaxBytes;
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        forgetMemory();
        super.init(context, root);
    }

    /**
     * Makes the memory whole from the log, which Kafka Streams has restored by the time processors
     * start: fills the filter and learns which batches exist. An index that does not hold exactly
     * the log's batches (new, wiped, or left behind by a standby period or a move, while another
     * instance wrote and expired batches) is emptied and filled from the log.
     */
    void open(final KeyValueStore<Bytes, byte[]> index) {
        forgetMemory();
        this.index = index;
        this.recent = new RecentEventIds(horizonMs, filterMaxBytes);
        final boolean inStep = indexedThrough() == lastBatchInLog();
        if (!inStep) {
            clearIndex();
        }
        long lastBatch = -1;
        try (KeyValueIterator<Bytes, byte[]> batches = wrapped().all()) {
            while (batches.hasNext()) {
                final KeyValue<Bytes, byte[]> record = batches.next();
                final long batch = batchOf(record.key);
                final EventIdBatch ids = EventIdBatch.decode(record.value);
                for (final Admitted admitted : ids.ids()) {
                    recent.add(admitted.id(), admitted.arrivalMs());
                }
                final long newest = ids.newestArrivalMs();
                logged.add(new Logged(batch, newest));
                streamTimeMs = Math.max(streamTimeMs, newest);
                if (!inStep) {
                    index(ids.ids(), batch);
                }
                lastBatch = batch;
            }
        }
        nextBatch = lastBatch + 1;
    }

    /**
     * Whether {@code id} was admitted within the horizon before {@code streamTimeMs}; if not, it is
     * admitted now and remembered from this moment.
     */
    boolean seenBefore(final String id, final long streamTimeMs) {
        requireOpen();
        this.streamTimeMs = Math.max(this.streamTimeMs, streamTimeMs);
        if (recent.mightContain(id, streamTimeMs) && (sinceFlushWithinHorizon(id, streamTimeMs) || indexed(id, streamTimeMs))) {
            return true;
        }
        sinceFlush.put(id, streamTimeMs);
        recent.add(id, streamTimeMs);
        return false;
    }

    private boolean sinceFlushWithinHorizon(final String id, final long streamTimeMs) {
        final Long arrival = sinceFlush.get(id);
        return arrival != null && arrival >= streamTimeMs - horizonMs;
    }

    private boolean indexed(final String id, final long streamTimeMs) {
        try (KeyValueIterator<Bytes, byte[]> earlier = index.range(EventIdIndexKeys.of(id, streamTimeMs - horizonMs),
                EventIdIndexKeys.of(id, streamTimeMs))) {
            return earlier.hasNext();
        }
    }

    /** Called by Kafka Streams before every commit: what the commit covers goes into its changelog. */
    @Override
    public void flushCache() {
        if (index != null) {
            writeSinceFlush();
            forgetExpiredBatches();
        }
        super.flushCache();
    }

    private void writeSinceFlush() {
        if (sinceFlush.isEmpty()) {
            return;
        }
        final List<Admitted> ids = new ArrayList<>(sinceFlush.size());
        for (final Map.Entry<String, Long> id : sinceFlush.entrySet()) {
            ids.add(new Admitted(id.getKey(), id.getValue()));
        }
        for (final EventIdBatch written : EventIdBatch.split(ids)) {
            final long batch = nextBatch++;
            wrapped().put(keyOf(batch), written.encode());
            index(written.ids(), batch);
            logged.add(new Logged(batch, written.newestArrivalMs()));
        }
        sinceFlush.clear();
    }

    /** Deletes batches whose every id is past the horizon: their ids from the index, then the batch. */
    private void forgetExpiredBatches() {
        while (!logged.isEmpty() && logged.peekFirst().newestArrivalMs() < streamTimeMs - horizonMs) {
            final Bytes key = keyOf(logged.removeFirst().batch());
            final byte[] record = wrapped().get(key);
            if (record != null) {
                final List<KeyValue<Bytes, byte[]>> deletions = new ArrayList<>();
                for (final Admitted admitted : EventIdBatch.decode(record).ids()) {
                    deletions.add(KeyValue.pair(EventIdIndexKeys.of(admitted.id(), admitted.arrivalMs()), null));
                }
                index.putAll(deletions);
            }
            wrapped().delete(key);
        }
    }

    /** Puts a batch's ids in the index and records that the index holds it, in one write. */
    private void index(final List<Admitted> ids, final long batch) {
        final List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>(ids.size() + 1);
        for (final Admitted admitted : ids) {
            entries.add(KeyValue.pair(EventIdIndexKeys.of(admitted.id(), admitted.arrivalMs()), SEEN));
        }
        entries.add(KeyValue.pair(EventIdIndexKeys.INDEXED_THROUGH, ByteBuffer.allocate(Long.BYTES).putLong(batch).array()));
        index.putAll(entries);
    }

    /** The last batch the index holds, -1 for none (a new or wiped index). */
    private long indexedThrough() {
        final byte[] mark = index.get(EventIdIndexKeys.INDEXED_THROUGH);
        return mark == null ? -1 : ByteBuffer.wrap(mark).getLong();
    }

    /** The newest batch in the log, -1 for none. */
    private long lastBatchInLog() {
        try (KeyValueIterator<Bytes, byte[]> batches = wrapped().reverseAll()) {
            return batches.hasNext() ? batchOf(batches.next().key) : -1;
        }
    }

    /** Deletes every index entry, a write batch of at most {@link #CLEAR_BATCH} at a time. */
    private void clearIndex() {
        final List<KeyValue<Bytes, byte[]>> deletions = new ArrayList<>(CLEAR_BATCH);
        try (KeyValueIterator<Bytes, byte[]> all = index.all()) {
            while (all.hasNext()) {
                deletions.add(KeyValue.pair(all.next().key, null));
                if (deletions.size() == CLEAR_BATCH) {
                    index.putAll(deletions);
                    deletions.clear();
                }
            }
        }
        index.putAll(deletions);
    }

    /**
     * Kafka Streams empties caches when it turns a task between active and standby: ids not yet
     * flushed belong to a dirty close and are dropped, and the next {@link #open} rebuilds the rest.
     */
    @Override
    public void clearCache() {
        forgetMemory();
        super.clearCache();
    }

    @Override
    public void close() {
        forgetMemory();
        super.close();
    }

    /** Back to not open: nothing in memory, nothing written at a flush until the next {@link #open}. */
    private void forgetMemory() {
        sinceFlush.clear();
        logged.clear();
        index = null;
        recent = null;
        streamTimeMs = Long.MIN_VALUE;
    }

    private void requireOpen() {
        if (recent == null) {
            throw new IllegalStateException("the dedupe memory was not opened: call open(index) from the processor's init");
        }
    }

    /** Batches in the log, oldest first. */
    int batchesInLog() {
        return logged.size();
    }

    private static Bytes keyOf(final long batch) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(batch).array());
    }

    private static long batchOf(final Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong();
    }
}
