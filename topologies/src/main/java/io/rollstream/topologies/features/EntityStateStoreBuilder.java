package io.rollstream.topologies.features;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.Objects;

/**
 * Builds an entity's state store: head and tile records in RocksDB with a changelog
 * ({@link EntityRecordStore}), behind an {@link EntityStateCacheStore} of live objects. Kafka's own
 * byte cache is left off: it would hold a second, serialized copy of the same entities.
 */
public final class EntityStateStoreBuilder implements StoreBuilder<KeyValueStore<String, EntityState>> {

    /**
     * Entities kept as objects per store (per task). Most are a few KB (objects plus the images of
     * their inline tiles); the most active can be hundreds of KB, so heap use depends on the stream's
     * skew: size the heap for it, or lower this.
     */
    public static final int DEFAULT_CACHED_ENTITIES = 10_000;

    private final StoreBuilder<KeyValueStore<Bytes, byte[]>> inner;
    private final FeatureSet featureSet;
    private final int cachedEntities;
    private final EntityWriteListener listener;

    public EntityStateStoreBuilder(final String name, final FeatureSet featureSet, final int cachedEntities) {
        this(name, featureSet, cachedEntities, EntityWriteListener.NONE);
    }

    /** @param listener told of every write to the records of the stores built, from every task */
    public EntityStateStoreBuilder(final String name, final FeatureSet featureSet, final int cachedEntities,
                                   final EntityWriteListener listener) {
        if (featureSet.layouts().size() > EntityStoreKeys.MAX_LAYOUTS) {
            throw new IllegalArgumentException("entity '" + featureSet.entity() + "' has " + featureSet.layouts().size()
                    + " tile widths; a store holds at most " + EntityStoreKeys.MAX_LAYOUTS);
        }
        this.inner = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(),
                Serdes.ByteArray());
        this.featureSet = featureSet;
        this.cachedEntities = cachedEntities;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public StoreBuilder<KeyValueStore<String, EntityState>> withCachingEnabled() {
        throw new UnsupportedOperationException("entity stores cache live objects; Kafka's byte cache stays off");
    }

    @Override
    public StoreBuilder<KeyValueStore<String, EntityState>> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<String, EntityState>> withLoggingEnabled(final Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<String, EntityState>> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public KeyValueStore<String, EntityState> build() {
        return new EntityStateCacheStore(inner.build(), featureSet, cachedEntities, listener);
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
