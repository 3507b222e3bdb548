package io.rollstream.topologies.features;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureSet;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An entity store as the topology and interactive queries see it: entity key to
 * {@link EntityState}, over the head and tile records of {@link EntityRecordStore}.
 *
 * <p>The stream thread works on live objects: the entities it touched recently stay in a bounded
 * LRU, so an event on a hot entity costs a map lookup instead of reading and decoding its tiles.
 * Changed entities are written when Kafka Streams flushes caches before a commit — only their
 * changed tiles and their head, in one batch — and when they leave the LRU: what a commit covers
 * is in the changelog of that same commit, so exactly-once holds.
 *
 * <p>Only the thread that writes (the stream thread owning the task) sees the objects. Reads from
 * any other thread — interactive queries — go to the records and see the state as of the last
 * flush, at most a commit interval old, never an object being modified. An
 * {@link EntityWriteListener} hears of each key once its records are written, and of every moment
 * the records may change beneath this store (open, cache cleared, close).
 */
final class EntityStateCacheStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, String, EntityState>
        implements KeyValueStore<String, EntityState> {

    /** A cached entity; a null state means storage has no records for the key. */
    private static final class Cached {
        final String key;
        EntityState state;
        boolean dirty;
        /** The state is an object storage did not produce: older records of the key must go first. */
        boolean replaces;

        Cached(final String key, final EntityState state) {
            this.key = key;
            this.state = state;
        }
    }

    private final int maxEntries;
    private final EntityRecordStore records;
    private final EntityWriteListener listener;
    private final LinkedHashMap<String, Cached> cache;
    private final List<Cached> dirty = new ArrayList<>();
    private volatile Thread writer;

    EntityStateCacheStore(final KeyValueStore<Bytes, byte[]> wrapped, final FeatureSet featureSet, final int maxEntries) {
        this(wrapped, featureSet, maxEntries, EntityWriteListener.NONE);
    }

    EntityStateCacheStore(final KeyValueStore<Bytes, byte[]> wrapped, final FeatureSet featureSet, final int maxEntries,
                          final EntityWriteListener listener) {
        super(wrapped);
        this.listener = listener;
        if (maxEntries < 1) {
            throw new IllegalArgumentException("an entity store caches at least 1 entity, was asked for " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.records = new EntityRecordStore(wrapped, featureSet);
        this.cache = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Cached> eldest) {
                if (size() <= EntityStateCacheStore.this.maxEntries) {
                    return false;
                }
                if (eldest.getValue().dirty) {
                    final EntityRecordStore.Batch batch = records.newBatch();
                    addTo(batch, eldest.getValue());
                    batch.write();
                    listener.written(eldest.getKey());
                    // The dirty list keeps the entry until the next flush, which skips it: drop its state,
                    // so that over a long commit interval the list holds keys and flags of the entities
                    // that left the cache, not their tiles.
                    eldest.getValue().state = null;
                }
                return true;
            }
        };
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        cache.clear();
        dirty.clear();
        writer = Thread.currentThread();
        listener.reset();
        super.init(context, root);
    }

    private boolean isWriter() {
        return Thread.currentThread() == writer;
    }

    @Override
    public EntityState get(final String key) {
        if (!isWriter()) {
            return records.read(key, false);
        }
        final Cached cached = cache.get(key);
        if (cached != null) {
            return cached.state;
        }
        final EntityState stored = records.read(key, true);
        cache.put(key, new Cached(key, stored));
        return stored;
    }

    @Override
    public void put(final String key, final EntityState value) {
        writer = Thread.currentThread();
        if (value == null) {
            delete(key);
            return;
        }
        Cached entry = cache.get(key);
        if (entry == null || entry.state != value) {
            // Not the object this store handed out: it knows nothing of what storage holds.
            final boolean storageEmpty = entry != null && entry.state == null;
            if (entry == null) {
                entry = new Cached(key, value);
                cache.put(key, entry);
            }
            entry.state = value;
            entry.replaces = !storageEmpty;
        }
        if (!entry.dirty) {
            entry.dirty = true;
            dirty.add(entry);
        }
    }

    @Override
    public EntityState putIfAbsent(final String key, final EntityState value) {
        final EntityState existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(final List<KeyValue<String, EntityState>> entries) {
        for (final KeyValue<String, EntityState> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public EntityState delete(final String key) {
        final EntityState previous = get(key);
        final Cached removed = cache.remove(key);
        if (removed != null) {
            removed.dirty = false;
        }
        final EntityRecordStore.Batch batch = records.newBatch();
        batch.addDeletion(key);
        batch.write();
        listener.written(key);
        return previous;
    }

    /**
     * The entity store beneath the decorators Kafka Streams wraps a processor's stores in, for what
     * the key-value interface cannot ask: {@link #scanIdle} and {@link #deleteIdle}.
     */
    static EntityStateCacheStore of(final StateStore store) {
        StateStore inner = store;
        while (!(inner instanceof EntityStateCacheStore) && inner instanceof WrappedStateStore<?, ?, ?> wrapper) {
            inner = wrapper.wrapped();
        }
        if (inner instanceof EntityStateCacheStore entities) {
            return entities;
        }
        throw new IllegalStateException("store " + store.name() + " is not an entity store; build it with "
                + EntityStateStoreBuilder.class.getSimpleName());
    }

    /**
     * Up to {@code maxRecords} records from {@code from} on, and the entities among them whose
     * records say their newest event time is before {@code cutoff} (see {@link EntityRecordStore#scanIdle}).
     * Records only: a cached entity may be newer; {@link #deleteIdle} judges it again.
     */
    EntityRecordStore.IdleScan scanIdle(final Bytes from, final int maxRecords, final long cutoff) {
        return records.scanIdle(from, maxRecords, cutoff);
    }

    /**
     * Deletes every record of each of {@code keys} whose newest event time is before {@code cutoff},
     * and its cached object, in one batch; tombstones go to the changelog with it, so a restore does
     * not bring it back.
     *
     * @return the keys deleted
     */
    List<String> deleteIdle(final List<String> keys, final long cutoff) {
        final EntityRecordStore.Batch batch = records.newBatch();
        final List<String> deleted = new ArrayList<>(keys.size());
        for (final String key : keys) {
            final Cached cached = cache.get(key);
            if (cached != null) {
                // Judged by the object, which may be newer than the records it is not written to
                // yet. One kept here took an event since: that the lookup counts as a use is right.
                if (cached.state != null && cached.state.newestEventTime() >= cutoff) {
                    continue;
                }
                cache.remove(key);
                cached.dirty = false;
            }
            batch.addDeletion(key);
            deleted.add(key);
        }
        batch.write();
        deleted.forEach(listener::written);
        return deleted;
    }

    /** Called by Kafka Streams before every commit: write what changed, then let the inner layers flush. */
    @Override
    public void flushCache() {
        writeDirty();
        super.flushCache();
    }

    /**
     * Kafka Streams empties the caches of a task whose store objects it keeps while turning it
     * from active to standby or back: records then change under the cache (restored from the
     * changelog another instance writes), so every cached object is stale. A clean handover
     * flushed first; what is dropped here was written or belongs to a dirty close.
     */
    @Override
    public void clearCache() {
        cache.clear();
        dirty.clear();
        super.clearCache();
        listener.reset();
    }

    private void writeDirty() {
        if (dirty.isEmpty()) {
            return;
        }
        final EntityRecordStore.Batch batch = records.newBatch();
        final List<String> written = new ArrayList<>(dirty.size());
        for (final Cached entry : dirty) {
            // Not dirty any more: it left the cache and was written (and told) then.
            if (entry.dirty) {
                addTo(batch, entry);
                written.add(entry.key);
            }
        }
        dirty.clear();
        batch.write();
        for (final String key : written) {
            listener.written(key);
        }
    }

    private static void addTo(final EntityRecordStore.Batch batch, final Cached entry) {
        if (entry.replaces) {
            batch.replace(entry.key, entry.state);
            entry.replaces = false;
        } else {
            batch.add(entry.key, entry.state);
        }
        entry.dirty = false;
    }

    @Override
    public void close() {
        // A clean close follows a commit, which wrote everything; a dirty one must drop it.
        cache.clear();
        dirty.clear();
        super.close();
        listener.reset();
    }

    // Range reads are for interactive queries and tools: they see the last flushed state.

    @Override
    public KeyValueIterator<String, EntityState> range(final String from, final String to) {
        return records.range(from, to);
    }

    @Override
    public KeyValueIterator<String, EntityState> all() {
        return records.range(null, null);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, EntityState> prefixScan(
            final P prefix, final PS prefixKeySerializer) {
        throw new UnsupportedOperationException("entity stores answer get, range and all; a prefix scan of entity "
                + "keys is range(prefix, prefix + '\\uffff')");
    }

    @Override
    public long approximateNumEntries() {
        return records.approximateNumEntries();
    }
}
