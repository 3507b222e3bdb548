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
}
