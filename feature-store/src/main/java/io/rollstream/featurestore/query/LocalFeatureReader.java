package io.rollstream.featurestore.query;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureVector;
import io.rollstream.engine.EntityDefinition;
import io.rollstream.topologies.features.EntityPartitioner;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Objects;

/**
 * Reads one entity's features from this instance's state store through an interactive query and
 * merges its tiles at the requested instant. Refuses, rather than answering "not found", when the
 * key's partition is owned elsewhere or its store is not queryable yet.
 */
public final class LocalFeatureReader {

    private static final EntityPartitioner PARTITIONER = new EntityPartitioner();

    private final KafkaStreams streams;
    private final String storeName;
    private final FeatureEngine engine;
    private final HostInfo self;

    public LocalFeatureReader(final KafkaStreams streams, final String storeName, final FeatureEngine engine,
                              final HostInfo self) {
        this.streams = Objects.requireNonNull(streams);
        this.storeName = Objects.requireNonNull(storeName);
        this.engine = Objects.requireNonNull(engine);
        this.self = Objects.requireNonNull(self);
    }

    public FeatureEngine engine() {
        return engine;
    }

    public FeatureVector read(final String id, final long asOf) {
        final EntityDefinition entity = engine.featureSet().entityDefinition();
        if (!entity.isWellFormed(id)) {
            throw FeatureQueryException.badRequest("'" + id + "' is not an id of entity '" + entity.name() + "': it is keyed by "
                    + entity.keyFields().stream().map(field -> field.name()).toList() + ", joined with '"
                    + EntityDefinition.SEPARATOR + "'");
        }
        final KeyQueryMetadata owner = streams.queryMetadataForKey(storeName, id, PARTITIONER);
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw FeatureQueryException.unavailable("no instance owns the partition of '" + id
                    + "' yet (the application is starting or rebalancing); retry shortly", 1);
        }
        if (!owner.activeHost().equals(self)) {
            throw FeatureQueryException.unavailable("'" + id + "' is served by " + owner.activeHost().host() + ":"
                    + owner.activeHost().port() + ", not by this instance; ask that instance", 1);
        }
        final EntityState state;
        try {
            final ReadOnlyKeyValueStore<String, EntityState> store = streams.store(StoreQueryParameters
                    .fromNameAndType(storeName, QueryableStoreTypes.<String, EntityState>keyValueStore())
                    .withPartition(owner.partition()));
            state = store.get(id);
        } catch (final InvalidStateStoreException e) {
            throw FeatureQueryException.unavailable("the store holding '" + id + "' is not queryable right now ("
                    + e.getMessage() + "); retry shortly", 1);
        }
        return engine.read(state == null ? engine.newState() : state, asOf);
    }
}
