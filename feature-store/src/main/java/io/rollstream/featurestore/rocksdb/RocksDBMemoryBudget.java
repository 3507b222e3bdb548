package io.rollstream.featurestore.rocksdb;

/**
 * How much off-heap memory every RocksDB store of this JVM may use together, and which share of
 * it memtables (write buffers) may take; the block cache gets the whole budget, with the
 * memtables' share charged against it.
 *
 * @param totalBytes       block cache capacity: data, index and filter blocks plus memtables
 * @param writeBufferRatio share of {@code totalBytes} the memtables of all stores may use, in (0, 1)
 */
public record RocksDBMemoryBudget(long totalBytes, double writeBufferRatio) {

    /** Memtables of this many stores fit the write buffer manager's limit together. */
    static final int STORES_PER_WRITE_BUFFER = 32;
    static final long MIN_MEMTABLE_BYTES = 1L << 20;
    /** Kafka Streams' own memtable size: a larger budget buys no larger memtables. */
    static final long MAX_MEMTABLE_BYTES = 16L << 20;

    public RocksDBMemoryBudget {
        if (totalBytes <= 0) {
            throw new IllegalArgumentException("RocksDB memory budget must be positive, got " + totalBytes + " bytes");
        }
        if (!(writeBufferRatio > 0 && writeBufferRatio < 1)) {
            throw new IllegalArgumentException("write buffer ratio must be strictly between 0 and 1, got " + writeBufferRatio);
        }
    }

    /** The memtable limit of the shared write buffer manager. */
    public long writeBufferBytes() {
        return (long) (totalBytes * writeBufferRatio);
    }

    /**
     * The memtable size of each store. Kafka Streams gives each 16 MiB; with one write buffer
     * manager over the dozens of stores an instance opens (entity stores, dedupe log and index
     * segments, per task), their memtables add up past the manager's limit long before any one of
     * them fills, and from then on RocksDB switches the memtable of whichever store is written to,
     * however small: a storm of tiny flushes and level-0 files that stalls writes. Measured, it
     * held the engine benchmark at 7 000 events/s instead of 30 000 and got its stream thread fenced.
     * Memtables of a 32nd of the limit flush by their own size first.
     */
    public long memtableBytes() {
        return Math.clamp(writeBufferBytes() / STORES_PER_WRITE_BUFFER, MIN_MEMTABLE_BYTES, MAX_MEMTABLE_BYTES);
    }
}
