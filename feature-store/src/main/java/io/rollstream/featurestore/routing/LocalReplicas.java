package io.rollstream.featurestore.routing;

import io.rollstream.engine.EntityState;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.util.OptionalLong;

/** What this instance knows and holds: where keys live, and its own copies of the stores. */
public interface LocalReplicas {

    /**
     * The active host, standby hosts and partition of a key; {@link KeyQueryMetadata#NOT_AVAILABLE}
     * while the application is starting or rebalancing.
     */
    KeyQueryMetadata locate(String storeName, String key);

    /**
     * How many changelog records this instance's copy of a store partition is behind, as last measured;
     * empty when it holds no copy, or one that has not restored anything yet.
     */
    OptionalLong readableLag(String storeName, int partition);

    /**
     * The key's state from this instance's copy of the partition: the running active only, or with
     * {@code stale} also a standby or a restoring active. {@code null} when the key has no state.
     *
     * @throws InvalidStateStoreException when no such copy is queryable right now
     */
    EntityState read(String storeName, int partition, String key, boolean stale);
}
