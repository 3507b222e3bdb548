package io.rollstream.topologies.features;

import io.rollstream.engine.EntityState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the entities a stream thread is working on as live objects, so an event on a hot entity
 * costs a map lookup instead of decoding and re-encoding all its tiles and sketches. Changed
 * entities are written to the wrapped store (RocksDB and its changelog) when Kafka Streams flushes
 * caches before a commit, and when they leave the bounded LRU: what a commit covers is in the
 * changelog of that same commit, so exactly-once holds.
 *
 * <p>Only the thread that writes (the stream thread owning the task) sees the objects. Reads from
 * any other thread — interactive queries — go to the wrapped store and see the state as of the
 * last flush, at most a commit interval old, never an object being modified.
 */
final class EntityStateCacheStore extends WrappedStateStore<KeyValueStore<String, EntityState>, String, EntityState>
        implements KeyValueStore<String, EntityState> {

    /** A cached entity and whether it changed since it was last written. */
    private static final class Cached {
        final EntityState state;
        boolean dirty;

        Cached(final EntityState state) {
            this.state = state;
        }
    }

    private final int maxEntries;
    private final LinkedHashMap<String, Cached> cache;
    private volatile Thread writer;

    EntityStateCacheStore(final KeyValueStore<String, EntityState> wrapped, final int maxEntries) {
        super(wrapped);
        this.maxEntries = maxEntries;
        this.cache = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Cached> eldest) {
                if (size() <= EntityStateCacheStore.this.maxEntries) {
                    return false;
                }
                if (eldest.getValue().dirty) {
                    wrapped().put(eldest.getKey(), eldest.getValue().state);
                }
                return true;
            }
        };
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        cache.clear();
        super.init(context, root);
    }

    private boolean isWriter() {
        return Thread.currentThread() == writer;
    }

    @Override
    public EntityState get(final String key) {
        if (!isWriter()) {
            return wrapped().get(key);
        }
        final Cached cached = cache.get(key);
        if (cached != null) {
            return cached.state;
        }
        final EntityState stored = wrapped().get(key);
        if (stored != null) {
            cache.put(key, new Cached(stored));
        }
        return stored;
    }

    @Override
    public void put(final String key, final EntityState value) {
        writer = Thread.currentThread();
        if (value == null) {
            cache.remove(key);
            wrapped().put(key, null);
            return;
        }
        final Cached entry = cache.get(key);
        if (entry != null && entry.state == value) {
            entry.dirty = true;
        } else {
            final Cached created = new Cached(value);
            created.dirty = true;
            cache.put(key, created);
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
        cache.remove(key);
        wrapped().delete(key);
        return previous;
    }

    /** Called by Kafka Streams before every commit: write what changed, then let the inner layers flush. */
    @Override
    public void flushCache() {
        writeDirty();
        super.flushCache();
    }

    @Override
    public void commit(final Map<org.apache.kafka.common.TopicPartition, Long> changelogOffsets) {
        writeDirty();
        super.commit(changelogOffsets);
    }

    private void writeDirty() {
        for (final Iterator<Map.Entry<String, Cached>> it = cache.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<String, Cached> entry = it.next();
            if (entry.getValue().dirty) {
                wrapped().put(entry.getKey(), entry.getValue().state);
                entry.getValue().dirty = false;
            }
        }
    }

    @Override
    public void close() {
        // A clean close follows a commit, which wrote everything; a dirty one must drop it.
        cache.clear();
        super.close();
    }

    // Range reads are for interactive queries and tools: they see the last flushed state.

    @Override
    public KeyValueIterator<String, EntityState> range(final String from, final String to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, EntityState> reverseRange(final String from, final String to) {
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, EntityState> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<String, EntityState> reverseAll() {
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P> KeyValueIterator<String, EntityState> prefixScan(
            final P prefix, final PS prefixKeySerializer) {
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

}
