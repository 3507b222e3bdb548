package io.rollstream.topologies.admission;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Map;

/**
 * Builds {@link SeenEventIds}: its log is a RocksDB key-value store with a changelog. Kafka's
 * byte cache stays off — the store keeps a commit's ids in memory itself and writes them as one
 * record.
 */
public final class SeenEventIdsStoreBuilder implements StoreBuilder<SeenEventIds> {

    /**
     * Memory one task's id filter may grow to: at 4 bytes per slot and 8 slots per id, about a
     * million ids within the horizon per task before its false positives (lookups that go on to
     * the index) start to rise above 3%. The generation it grew from stays for one more horizon.
     */
    static final long ID_FILTER_MAX_BYTES = 32L << 20;

    private final StoreBuilder<KeyValueStore<Bytes, byte[]>> log;
    private final long horizonMs;

    public SeenEventIdsStoreBuilder(final String name, final Duration horizon) {
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("the dedupe horizon must be positive to remember ids, was " + horizon);
        }
        this.log = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
        this.horizonMs = horizon.toMillis();
    }

    @Override
    public StoreBuilder<SeenEventIds> withCachingEnabled() {
        throw new UnsupportedOperationException("the dedupe memory batches a commit's ids itself; Kafka's byte cache stays off");
    }

    @Override
    public StoreBuilder<SeenEventIds> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<SeenEventIds> withLoggingEnabled(final Map<String, String> config) {
        log.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<SeenEventIds> withLoggingDisabled() {
        throw new UnsupportedOperationException("the dedupe log is what survives a restart or a move; it keeps its changelog");
    }

    @Override
    public SeenEventIds build() {
        return new SeenEventIds(log.build(), horizonMs, ID_FILTER_MAX_BYTES);
    }

    @Override
    public Map<String, String> logConfig() {
        return log.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return log.loggingEnabled();
    }

    @Override
    public String name() {
        return log.name();
    }
}
