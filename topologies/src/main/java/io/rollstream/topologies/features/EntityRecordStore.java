package io.rollstream.topologies.features;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.EntityStateCodec;
import io.rollstream.engine.EntityStateCodec.StoredTile;
import io.rollstream.engine.FeatureSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Entities as records of a bytes store (RocksDB and its changelog): reads an entity or a range of
 * entities back from their head and tile records, and collects what a set of changed entities must
 * write into one batch. A batch lands atomically and a key range reads one consistent snapshot
 * (RocksDB's write batches and iterators), so a reader never sees half of a commit's changes.
 */
final class EntityRecordStore {

    private static final Logger LOG = LoggerFactory.getLogger(EntityRecordStore.class);

    private final KeyValueStore<Bytes, byte[]> records;
    private final EntityStateCodec codec;
    /** Whether a sweep has said it met a damaged record: once is enough to act on. */
    private boolean damageReported;

    EntityRecordStore(final KeyValueStore<Bytes, byte[]> records, final FeatureSet featureSet) {
        this.records = records;
        this.codec = new EntityStateCodec(featureSet);
    }

    /**
     * The entity, or null when it has no records. Most entities are a head only, found (or not) by
     * a point lookup, which RocksDB's bloom filters make cheap; a key range, which costs an
     * iterator, is read only when the head says there are tiles stored alone.
     */
    EntityState read(final String entity, final boolean keepImages) {
        final byte[] head = records.get(EntityStoreKeys.head(entity));
        if (head == null) {
            return null;
        }
        if (!EntityStateCodec.hasTilesStoredAlone(head)) {
            return codec.decode(head, List.of(), keepImages);
        }
        // Read the head again in the range: one iterator is one consistent snapshot of head and tiles.
        try (KeyValueIterator<Bytes, byte[]> range = records.range(EntityStoreKeys.first(entity), EntityStoreKeys.last(entity))) {
            if (!range.hasNext()) {
                return null;
            }
            final KeyValue<Bytes, byte[]> first = range.next();
            if (!EntityStoreKeys.parse(first.key.get()).isHead()) {
                throw new IllegalStateException("entity '" + entity + "' has tile records but no head; "
                        + "rebuild the state store from the events topic");
            }
            return codec.decode(first.value, tilesOf(entity, range), keepImages);
        }
    }

    /** The tile records that follow an entity's head in a key range, up to the next entity's. */
    private static List<StoredTile> tilesOf(final String entity, final KeyValueIterator<Bytes, byte[]> range) {
        final List<StoredTile> tiles = new ArrayList<>();
        while (range.hasNext()) {
            final EntityStoreKeys.Parsed key = EntityStoreKeys.parse(range.peekNextKey().get());
            if (key.isHead() || !key.entity().equals(entity)) {
                break;
            }
            tiles.add(new StoredTile(key.layout(), key.tileStart(), range.next().value));
        }
        return tiles;
    }

    /** Every record of every entity from {@code from} to {@code to} (both included; null: unbounded), as entities. */
    KeyValueIterator<String, EntityState> range(final String from, final String to) {
        final Bytes lower = from == null ? null : EntityStoreKeys.first(from);
        final Bytes upper = to == null ? null : EntityStoreKeys.last(to);
        return new Entities(lower == null && upper == null ? records.all() : records.range(lower, upper));
    }

    /**
     * What one stretch of a sweep for idle entities found: the entities whose head says they are
     * idle, and the record key the next stretch starts from (null: the first record again).
     */
    record IdleScan(List<String> idle, Bytes next) {
    }

    /**
     * Reads up to {@code maxRecords} records from {@code from} on (null: from the first) and lists
     * the entities whose newest event time is before {@code cutoff}, as their heads say: read from
     * a head's first bytes, never decoded, and tile records passed over. What storage holds may be
     * older than what the stream thread's cache does; that is the caller's to weigh.
     */
    IdleScan scanIdle(final Bytes from, final int maxRecords, final long cutoff) {
        final List<String> idle = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> range = from == null ? records.all() : records.range(from, null)) {
            for (int visited = 0; visited < maxRecords && range.hasNext(); visited++) {
                final KeyValue<Bytes, byte[]> record = range.next();
                try {
                    final EntityStoreKeys.Parsed key = EntityStoreKeys.parse(record.key.get());
                    if (key.isHead() && EntityStateCodec.newestEventTime(record.value) < cutoff) {
                        idle.add(key.entity());
                    }
                } catch (final RuntimeException damaged) {
                    // A record that is not an entity's: a read of it fails and says so; the sweep
                    // must not stop at it on every pass, or nothing after it would ever expire.
                    if (!damageReported) {
                        damageReported = true;
                        LOG.warn("Idle expiry skips a record it cannot read as an entity's ({}); reads of that entity "
                                + "fail too: rebuild the state store from the events topic", damaged.getMessage());
                    }
                }
            }
            return new IdleScan(idle, range.hasNext() ? range.peekNextKey() : null);
        }
    }

    /** Collects the records of changed entities; {@link #write()} puts them all in one batch. */
    final class Batch implements EntityStateCodec.Records {
        private final List<KeyValue<Bytes, byte[]>> pending = new ArrayList<>();
        private String entity;
        /** Keys written for the entity being added, when it replaces records this batch must clean up after. */
        private Set<Bytes> written;

        void add(final String key, final EntityState state) {
            this.entity = key;
            codec.writeChanges(state, this);
        }

        /**
         * Writes {@code state} over whatever records {@code key} has, which its bookkeeping knows
         * nothing of: every tile is written again, then the records no longer used are deleted —
         * after the new head, so a reader sees the old entity or the new one.
         */
        void replace(final String key, final EntityState state) {
            final List<Bytes> existing = keysOf(key);
            codec.forgetStorage(state);
            written = new HashSet<>();
            add(key, state);
            for (final Bytes old : existing) {
                if (!written.contains(old)) {
                    pending.add(KeyValue.pair(old, null));
                }
            }
            written = null;
        }

        /** Deletes every record of {@code key}, head first, so a reader sees the entity or nothing. */
        void addDeletion(final String key) {
            for (final Bytes old : keysOf(key)) {
                pending.add(KeyValue.pair(old, null));
            }
        }

        private List<Bytes> keysOf(final String key) {
            final List<Bytes> keys = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> range = records.range(EntityStoreKeys.first(key), EntityStoreKeys.last(key))) {
                while (range.hasNext()) {
                    keys.add(range.next().key);
                }
            }
            return keys;
        }

        @Override
        public void tile(final int layout, final long tileStart, final byte[] image) {
            put(EntityStoreKeys.tile(entity, layout, tileStart), image);
        }

        @Override
        public void head(final byte[] head) {
            put(EntityStoreKeys.head(entity), head);
        }

        @Override
        public void tileDeleted(final int layout, final long tileStart) {
            put(EntityStoreKeys.tile(entity, layout, tileStart), null);
        }

        private void put(final Bytes key, final byte[] value) {
            pending.add(KeyValue.pair(key, value));
            if (written != null && value != null) {
                written.add(key);
            }
        }

        void write() {
            if (!pending.isEmpty()) {
                records.putAll(pending);
                pending.clear();
            }
        }
    }

    Batch newBatch() {
        return new Batch();
    }

    /** Records, not entities: an entity with tiles stored alone counts once per record. */
    long approximateNumEntries() {
        return records.approximateNumEntries();
    }

    /** Groups a key range of records into entities: a head, then that entity's tiles. */
    private final class Entities implements KeyValueIterator<String, EntityState> {
        private final KeyValueIterator<Bytes, byte[]> inner;
        private KeyValue<String, EntityState> next;

        Entities(final KeyValueIterator<Bytes, byte[]> inner) {
            this.inner = inner;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            while (inner.hasNext()) {
                final KeyValue<Bytes, byte[]> record = inner.next();
                final EntityStoreKeys.Parsed key = EntityStoreKeys.parse(record.key.get());
                if (!key.isHead()) {
                    // A range starting inside an entity's records: its head was before the range.
                    continue;
                }
                next = KeyValue.pair(key.entity(), codec.decode(record.value, tilesOf(key.entity(), inner), false));
                return true;
            }
            return false;
        }

        @Override
        public KeyValue<String, EntityState> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            final KeyValue<String, EntityState> result = next;
            next = null;
            return result;
        }

        @Override
        public String peekNextKey() {
            return hasNext() ? next.key : null;
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
