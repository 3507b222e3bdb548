package io.rollstream.topologies;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.topologies.features.EntityFeaturesProcessorSupplier;
import io.rollstream.topologies.features.EntityStateSerde;
import io.rollstream.topologies.ingest.EventValidator;
import io.rollstream.topologies.ingest.IngestProcessorSupplier;
import io.rollstream.topologies.ingest.OwnerPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The whole streaming application as one topology:
 *
 * <pre>
 *  clickstream.events ──► ingest ──┬──► user features (RocksDB store "features-user")
 *                                  ├──► clickstream.events.rekeyed ──► ingest (no rekey) ──► user features
 *                                  └──► clickstream.events.dlq ◄── (late events from user features)
 * </pre>
 *
 * Ingest and features share a sub-topology, so an event that arrives on its owner partition (the
 * Java producer's default) costs no extra hop; only misrouted ones pay for the re-keyed topic.
 */
public final class RollstreamTopology {

    static final String EVENTS_SOURCE = "events-source";
    static final String REKEYED_SOURCE = "rekeyed-source";
    static final String INGEST = "ingest";
    static final String REKEYED_INGEST = "rekeyed-ingest";
    static final String USER_FEATURES = "user-features";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";
    static final String REKEY_SINK = "rekey-sink";

    /** Everything the topology needs that is not a constant of the contract. */
    public record Settings(FeatureSet userFeatures, Duration maxFutureSkew, int eventPartitions,
                           Supplier<Deserializer<ClickEvent>> eventDeserializers) {
        public Settings {
            Objects.requireNonNull(userFeatures, "userFeatures");
            Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
            Objects.requireNonNull(eventDeserializers, "eventDeserializers");
        }
    }

    private RollstreamTopology() {
    }

    /** Name of the state store that holds an entity's tiles. */
    public static String storeName(final FeatureSet featureSet) {
        return "features-" + featureSet.entity();
    }

    public static Topology build(final Settings settings) {
        final FeatureEngine engine = new FeatureEngine(settings.userFeatures());
        final EventValidator validator = new EventValidator(settings.maxFutureSkew());
        final OwnerPartition owner = new OwnerPartition(settings.eventPartitions());
        final IngestProcessorSupplier.Children children =
                new IngestProcessorSupplier.Children(USER_FEATURES, DEAD_LETTER_SINK, REKEY_SINK);
        final String store = storeName(settings.userFeatures());
        final StoreBuilder<KeyValueStore<String, EntityState>> storeBuilder = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(store), Serdes.String(), EntityStateSerde.forFeatureSet(settings.userFeatures()))
                .withCachingEnabled();

        final Topology topology = new Topology();
        topology.addSource(EVENTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.EVENTS);
        topology.addSource(REKEYED_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.REKEYED);
        topology.addProcessor(INGEST,
                new IngestProcessorSupplier(settings.eventDeserializers(), validator, owner, children, true), EVENTS_SOURCE);
        topology.addProcessor(REKEYED_INGEST,
                new IngestProcessorSupplier(settings.eventDeserializers(), validator, owner, children, false), REKEYED_SOURCE);
        topology.addProcessor(USER_FEATURES, new EntityFeaturesProcessorSupplier(engine, store, DEAD_LETTER_SINK),
                INGEST, REKEYED_INGEST);
        topology.addStateStore(storeBuilder, USER_FEATURES);
        topology.addSink(REKEY_SINK, Topics.REKEYED, new StringSerializer(), new ByteArraySerializer(), INGEST);
        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS, new ByteArraySerializer(), new ByteArraySerializer(),
                INGEST, REKEYED_INGEST, USER_FEATURES);
        return topology;
    }
}
