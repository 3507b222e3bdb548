package io.rollstream.topologies;

import io.rollstream.schemas.contract.Topics;
import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.FeatureVector;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/** The whole Rollstream topology in a TopologyTestDriver, with a real in-memory schema registry. */
final class TopologyHarness implements AutoCloseable {

    static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues());
    final FeatureSet features;
    final FeatureEngine engine;
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> events;
    final TestInputTopic<String, byte[]> rekeyedIn;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<String, byte[]> rekeyedOut;
    private final AtomicLong ids = new AtomicLong();

    TopologyHarness(final FeatureSet features, final int eventPartitions) {
        this.features = features;
        this.engine = new FeatureEngine(features);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        this.driver = new TopologyTestDriver(RollstreamTopology.build(new RollstreamTopology.Settings(
                io.rollstream.engine.catalog.FeatureCatalog.of(java.util.List.of(features)),
                MAX_FUTURE_SKEW, eventPartitions, () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class))), props);
        this.events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        this.rekeyedIn = driver.createInputTopic(Topics.REKEYED, new StringSerializer(), new ByteArraySerializer());
        this.deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.rekeyedOut = driver.createOutputTopic(Topics.REKEYED, new StringDeserializer(), new ByteArrayDeserializer());
    }

    ClickEvent.Builder event(final String user, final EventType type, final Instant eventTime) {
        return ClickEvent.newBuilder()
                .setEventId("evt-" + ids.incrementAndGet())
                .setEventType(type)
                .setUserId(user)
                .setEventTime(eventTime)
                .setProperties(Map.of());
    }

    /** Publishes an event the way a producer would: keyed by user, produced at its event time. */
    void send(final String user, final EventType type, final Instant eventTime) {
        send(event(user, type, eventTime).build(), eventTime);
    }

    void send(final ClickEvent event, final Instant producedAt) {
        events.pipeInput(event.getUserId(), serializer.serialize(Topics.EVENTS, event), producedAt);
    }

    FeatureVector read(final String user, final Instant asOf) {
        final KeyValueStore<String, EntityState> store = driver.getKeyValueStore(RollstreamTopology.storeName(features));
        final EntityState state = store.get(user);
        return engine.read(state == null ? engine.newState() : state, asOf.toEpochMilli());
    }

    @Override
    public void close() {
        driver.close();
    }
}
