package io.rollstream.featurestore.rocksdb;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Cache;
import org.rocksdb.Options;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedMemoryRocksDBConfigTest {

    /** One budget for every test: the shared memory is per JVM, created by whichever test runs first. */
    private static final long MEMORY_BYTES = 48L * 1024 * 1024;
    private static final double WRITE_BUFFER_RATIO = 0.5;
    private static final String FIRST_STORE = "first-store";
    private static final String SECOND_STORE = "second-store";

    @TempDir
    Path stateDir;

    @BeforeEach
    void forgetCachesSeenByEarlierTests() {
        CacheRecordingConfigSetter.cacheByStore.clear();
        CacheRecordingConfigSetter.memtableBytesByStore.clear();
    }

    @Test
    void shouldGiveEveryPersistentStoreTheOneSharedCacheWithTheConfiguredCapacity() {
        try (TopologyTestDriver driver = new TopologyTestDriver(twoStoreTopology(), streamsProps())) {
            pipeSomeRecords(driver);

            final Cache first = CacheRecordingConfigSetter.cacheByStore.get(FIRST_STORE);
            final Cache second = CacheRecordingConfigSetter.cacheByStore.get(SECOND_STORE);
            assertThat(first).isNotNull().isSameAs(second).isSameAs(SharedRocksDBMemory.current().cache());
            // What RocksDB itself reports for each open database, not what the setter meant to do.
            assertThat(blockCacheCapacity(driver, FIRST_STORE)).isEqualTo(MEMORY_BYTES);
            assertThat(blockCacheCapacity(driver, SECOND_STORE)).isEqualTo(MEMORY_BYTES);
            assertThat(SharedRocksDBMemory.current().budget().writeBufferBytes()).isEqualTo(MEMORY_BYTES / 2);
        }
    }

    @Test
    void shouldGiveEveryStoreAMemtableSmallEnoughThatManyFitTheSharedWriteBufferLimit() {
        try (TopologyTestDriver driver = new TopologyTestDriver(twoStoreTopology(), streamsProps())) {
            pipeSomeRecords(driver);

            // 24 MiB of write buffers / 32 stores is below the 1 MiB floor.
            assertThat(CacheRecordingConfigSetter.memtableBytesByStore.get(FIRST_STORE)).isEqualTo(1L << 20);
            assertThat(CacheRecordingConfigSetter.memtableBytesByStore.get(SECOND_STORE)).isEqualTo(1L << 20);
        }
        assertThat(new RocksDBMemoryBudget(256L << 20, 0.25).memtableBytes()).as("the default budget").isEqualTo(2L << 20);
        assertThat(new RocksDBMemoryBudget(8L << 30, 0.25).memtableBytes()).as("never above Kafka's 16 MiB").isEqualTo(16L << 20);
    }

    @Test
    void shouldKeepTheSharedCacheOpenWhenStoresClose() {
        try (TopologyTestDriver driver = new TopologyTestDriver(twoStoreTopology(), streamsProps())) {
            pipeSomeRecords(driver);
        }
        final Cache shared = SharedRocksDBMemory.current().cache();
        assertThat(shared.isOwningHandle()).isTrue();

        // Stores opened after others closed still work on the same cache.
        try (TopologyTestDriver driver = new TopologyTestDriver(twoStoreTopology(), streamsProps())) {
            pipeSomeRecords(driver);
            final KeyValueStore<String, String> store = driver.getKeyValueStore(FIRST_STORE);
            assertThat(store.get("user-7")).isEqualTo("value-7");
            assertThat(CacheRecordingConfigSetter.cacheByStore.get(FIRST_STORE)).isSameAs(shared);
        }
    }

    @Test
    void shouldRefuseASecondBudgetInTheSameJvm() {
        SharedRocksDBMemory.obtain(new RocksDBMemoryBudget(MEMORY_BYTES, WRITE_BUFFER_RATIO));

        assertThatThrownBy(() -> SharedRocksDBMemory.obtain(new RocksDBMemoryBudget(2 * MEMORY_BYTES, WRITE_BUFFER_RATIO)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG);
    }

    @Test
    void shouldUseTheDefaultsWhenTheKeysAreAbsent() {
        final RocksDBMemoryBudget budget = BoundedMemoryRocksDBConfig.budgetFrom(Map.of("application.id", "any"));

        assertThat(budget.totalBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(budget.writeBufferBytes()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void shouldParseSettingsGivenAsStrings() {
        final RocksDBMemoryBudget budget = BoundedMemoryRocksDBConfig.budgetFrom(Map.of(
                BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, "134217728",
                BoundedMemoryRocksDBConfig.WRITE_BUFFER_RATIO_CONFIG, "0.125"));

        assertThat(budget).isEqualTo(new RocksDBMemoryBudget(128L * 1024 * 1024, 0.125));
    }

    @Test
    void shouldRejectAWriteBufferRatioOutsideZeroToOne() {
        assertThatThrownBy(() -> BoundedMemoryRocksDBConfig.budgetFrom(Map.of(BoundedMemoryRocksDBConfig.WRITE_BUFFER_RATIO_CONFIG, "1.0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(BoundedMemoryRocksDBConfig.WRITE_BUFFER_RATIO_CONFIG);
        assertThatThrownBy(() -> BoundedMemoryRocksDBConfig.budgetFrom(Map.of(BoundedMemoryRocksDBConfig.WRITE_BUFFER_RATIO_CONFIG, "0")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldRejectABudgetTooSmallForIndexAndFilterBlocks() {
        assertThatThrownBy(() -> BoundedMemoryRocksDBConfig.budgetFrom(Map.of(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, 1024L)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG);
    }

    private Properties streamsProps() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-memory-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CacheRecordingConfigSetter.class);
        props.put(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, Long.toString(MEMORY_BYTES));
        props.put(BoundedMemoryRocksDBConfig.WRITE_BUFFER_RATIO_CONFIG, Double.toString(WRITE_BUFFER_RATIO));
        return props;
    }

    private static Topology twoStoreTopology() {
        final Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "input");
        topology.addProcessor("write-both", WriteToBothStores::new, "in");
        for (final String store : new String[] {FIRST_STORE, SECOND_STORE}) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                    Serdes.String(), Serdes.String()).withCachingDisabled(), "write-both");
        }
        return topology;
    }

    private static void pipeSomeRecords(final TopologyTestDriver driver) {
        final TestInputTopic<String, String> input = driver.createInputTopic("input", new StringSerializer(), new StringSerializer());
        for (int i = 0; i < 100; i++) {
            input.pipeInput("user-" + i, "value-" + i);
        }
    }

    private static long blockCacheCapacity(final TopologyTestDriver driver, final String store) {
        for (final Map.Entry<MetricName, ? extends Metric> metric : driver.metrics().entrySet()) {
            if (metric.getKey().name().equals("block-cache-capacity")
                    && store.equals(metric.getKey().tags().get("rocksdb-state-id"))) {
                return ((Number) metric.getValue().metricValue()).longValue();
            }
        }
        throw new AssertionError("no block-cache-capacity metric for store " + store + " in " + driver.metrics().keySet());
    }

    private static final class WriteToBothStores implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> first;
        private KeyValueStore<String, String> second;

        @Override
        public void init(final ProcessorContext<Void, Void> context) {
            first = context.getStateStore(FIRST_STORE);
            second = context.getStateStore(SECOND_STORE);
        }

        @Override
        public void process(final Record<String, String> record) {
            first.put(record.key(), record.value());
            second.put(record.key(), record.value());
        }
    }

    /**
     * The setter under test, plus a record of the block cache each store ends up with: Kafka's
     * table config exposes the cache it was given, plain RocksDB options do not.
     */
    public static final class CacheRecordingConfigSetter implements RocksDBConfigSetter {
        static final Map<String, Cache> cacheByStore = new ConcurrentHashMap<>();
        static final Map<String, Long> memtableBytesByStore = new ConcurrentHashMap<>();
        private final BoundedMemoryRocksDBConfig delegate = new BoundedMemoryRocksDBConfig();

        @Override
        public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
            delegate.setConfig(storeName, options, configs);
            cacheByStore.put(storeName, ((BlockBasedTableConfigWithAccessibleCache) options.tableFormatConfig()).blockCache());
            memtableBytesByStore.put(storeName, options.writeBufferSize());
        }

        @Override
        public void close(final String storeName, final Options options) {
            delegate.close(storeName, options);
        }
    }
}
