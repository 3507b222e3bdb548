package io.rollstream.topologies.features;

/**
 * Told when an entity store's records change, for whoever keeps something computed from them
 * outside the stream thread (the feature store keeps rendered answers). Called on the stream thread
 * after the records are written, so a read of the key that starts after the call sees them.
 */
public interface EntityWriteListener {

    /** Listens to nothing. */
    EntityWriteListener NONE = new EntityWriteListener() {
        @Override
        public void written(final String key) {
        }

        @Override
        public void reset() {
        }
    };

    /** The records of {@code key} were written, replaced or deleted. */
    void written(String key);

    /**
     * Any record may have changed without {@link #written}: the store was opened, emptied of its
     * cache on a change between active and standby, or closed. The store itself says so; restores
     * and standby updates write the records underneath it, so whoever hears Kafka Streams' restore
     * callbacks must call this too (the feature store's {@code StoreRestores} does).
     */
    void reset();
}
