package io.rollstream.featurestore.rocksdb;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

import java.util.Map;

/**
 * Bounds the off-heap memory of all RocksDB state stores of the JVM together, as Kafka's "Memory
 * management: RocksDB" guide describes: one LRU block cache (strict capacity, with a high-priority
 * pool) shared by every store, index and filter blocks cached in it with high priority, and one
 * write buffer manager whose memtables are charged to that same cache. Without it each store
 * opens its own 50 MiB cache and up to 3 × 16 MiB of memtables, so memory grows with the number
 * of partitions, stores and window segments an instance happens to own.
 *
 * <p>Use: {@code rocksdb.config.setter=io.rollstream.featurestore.rocksdb.BoundedMemoryRocksDBConfig},
 * sized by {@value #MEMORY_BYTES_CONFIG} and {@value #WRITE_BUFFER_RATIO_CONFIG} in the same
 * Streams config. The cache is created from the first store's config; all stores of one process
 * must agree on the two settings.
 */
public final class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {

    /** Total bytes of the shared block cache, memtables included. */
    public static final String MEMORY_BYTES_CONFIG = "rollstream.rocksdb.memory.bytes";
    public static final long MEMORY_BYTES_DEFAULT = 256L * 1024 * 1024;

    /** Share of {@link #MEMORY_BYTES_CONFIG} memtables may use. */
    public static final String WRITE_BUFFER_RATIO_CONFIG = "rollstream.rocksdb.write-buffer.ratio";
    public static final double WRITE_BUFFER_RATIO_DEFAULT = 0.25;

    /** Below this, index and filter blocks alone can fill the cache and reads start failing. */
    private static final long MIN_MEMORY_BYTES = 16L * 1024 * 1024;

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(MEMORY_BYTES_CONFIG, Type.LONG, MEMORY_BYTES_DEFAULT, Range.atLeast(MIN_MEMORY_BYTES), Importance.MEDIUM,
                    "Off-heap memory all RocksDB state stores of this process share: one block cache holding data, "
                            + "index and filter blocks, with the memtables charged against it. Reads fail rather "
                            + "than exceed it, so leave headroom above the working set.")
            .define(WRITE_BUFFER_RATIO_CONFIG, Type.DOUBLE, WRITE_BUFFER_RATIO_DEFAULT,
                    BoundedMemoryRocksDBConfig::validateRatio, Importance.LOW,
                    "Share of " + MEMORY_BYTES_CONFIG + " the memtables (write buffers) of all stores may use "
                            + "before RocksDB flushes them, strictly between 0 and 1.");

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        final SharedRocksDBMemory memory = SharedRocksDBMemory.obtain(budgetFrom(configs));
        // Kafka Streams hands over its own table config (with its Bloom filter, 10 bits per key,
        // which it creates and closes per store): change that one rather than replace it.
        final BlockBasedTableConfig tableConfig = (BlockBasedTableConfig) options.tableFormatConfig();
        tableConfig.setBlockCache(memory.cache());
        tableConfig.setCacheIndexAndFilterBlocks(true);
        tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
        // Pinned blocks stay in the cache (still counted) for as long as their file is open: the
        // newest files and the top-level index are read by nearly every lookup.
        tableConfig.setPinL0FilterAndIndexBlocksInCache(true);
        tableConfig.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memory.writeBufferManager());
        options.setWriteBufferSize(memory.budget().memtableBytes());
        options.setTableFormatConfig(tableConfig);
    }

    @Override
    public void close(final String storeName, final Options options) {
        // Nothing to close: the cache and the write buffer manager belong to every store of the
        // JVM, and closing them when one store closes would break all the others.
    }

    /** The budget the two settings describe, with their defaults when absent. */
    public static RocksDBMemoryBudget budgetFrom(final Map<String, ?> configs) {
        // parse() reads only the keys defined here, so the whole Streams config can be passed.
        final Map<String, Object> parsed = CONFIG_DEF.parse(configs);
        return new RocksDBMemoryBudget((Long) parsed.get(MEMORY_BYTES_CONFIG), (Double) parsed.get(WRITE_BUFFER_RATIO_CONFIG));
    }

    private static void validateRatio(final String name, final Object value) {
        final double ratio = (Double) value;
        if (!(ratio > 0 && ratio < 1)) {
            throw new ConfigException(name, value, "give the memtables' share of the RocksDB memory as a number "
                    + "strictly between 0 and 1, e.g. 0.25");
        }
    }
}
