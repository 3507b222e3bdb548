package io.rollstream.featurestore.rocksdb;

import org.apache.kafka.common.config.ConfigException;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The one block cache and the one write buffer manager that every RocksDB store of this JVM
 * shares. Created on first use and never closed: stores open and close all the time (rebalances,
 * restores, window segments) while others keep using these objects, and the native memory is
 * returned when the process ends.
 */
final class SharedRocksDBMemory {

    /**
     * Share of the cache kept for index and filter blocks, so that a scan of cold data blocks
     * cannot evict them: losing them turns every lookup into several disk reads.
     */
    static final double HIGH_PRIORITY_POOL_RATIO = 0.1;

    /** Let RocksDB pick the shard count from the capacity. */
    private static final int AUTO_SHARD_BITS = -1;

    private static SharedRocksDBMemory instance;

    private final RocksDBMemoryBudget budget;
    private final Cache cache;
    private final WriteBufferManager writeBufferManager;

    private SharedRocksDBMemory(final RocksDBMemoryBudget budget) {
        RocksDB.loadLibrary();
        this.budget = budget;
        // Strict: a read that would push the cache over its capacity fails instead of growing
        // RocksDB past the budget (the point of a budget in a container with a memory limit).
        // Kafka's docs once warned against strict limits with a cache-charged write buffer
        // manager (RocksDB issue 6247); that bug is fixed since RocksDB 6.11.4.
        this.cache = new LRUCache(budget.totalBytes(), AUTO_SHARD_BITS, true, HIGH_PRIORITY_POOL_RATIO);
        this.writeBufferManager = new WriteBufferManager(budget.writeBufferBytes(), cache);
    }

    /**
     * The JVM's shared memory, created with {@code budget} on the first call.
     *
     * @throws ConfigException when an earlier store of this JVM was configured with another budget:
     *                         one JVM has one budget, and silently ignoring a setting would hide
     *                         how much memory is really in use
     */
    static synchronized SharedRocksDBMemory obtain(final RocksDBMemoryBudget budget) {
        if (instance == null) {
            instance = new SharedRocksDBMemory(budget);
        } else if (!instance.budget.equals(budget)) {
            throw new ConfigException("All RocksDB stores of one JVM share one memory budget, already created with "
                    + describe(instance.budget) + "; this store asks for " + describe(budget)
                    + ". Give every Kafka Streams instance of this process the same "
                    + BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG + " and "
                    + BoundedMemoryRocksDBConfig.WRITE_BUFFER_RATIO_CONFIG + ".");
        }
        return instance;
    }

    /** The shared memory if a store has been configured yet, else null. */
    static synchronized SharedRocksDBMemory current() {
        return instance;
    }

    RocksDBMemoryBudget budget() {
        return budget;
    }

    Cache cache() {
        return cache;
    }

    WriteBufferManager writeBufferManager() {
        return writeBufferManager;
    }

    private static String describe(final RocksDBMemoryBudget budget) {
        return budget.totalBytes() + " bytes (write buffer ratio " + budget.writeBufferRatio() + ")";
    }
}
