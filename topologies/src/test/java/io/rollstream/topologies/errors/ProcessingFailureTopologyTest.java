package io.rollstream.topologies.errors;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryUnavailableException;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.topologies.RollstreamTopology;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole topology in a TopologyTestDriver (which, like Kafka Streams, installs the configured
 * processing exception handler on every task) with a {@link RecordFault} that throws on chosen events.
 */
class ProcessingFailureTopologyTest {

    private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");
    private static final FeatureCatalog CATALOG = FeaturesFile.parse("""
            features:
              - name: views
                event_types: [PRODUCT_VIEW]
                aggregation: count
                windows: [24h]
              - name: category_views
                entity: user_category
                event_types: [PRODUCT_VIEW]
                aggregation: count
                windows: [24h]
              - name: item_views
                entity: item
                event_types: [PRODUCT_VIEW]
                aggregation: count
                windows: [24h]
            """, "test");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues());
    private final Metrics metrics = new Metrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private int ids;

    @AfterEach
    void close() {
        driver.close();
        metrics.close();
    }

    @Test
    void shouldDeadLetterTheRecordWhoseProcessingThrowsWithItsOriginalBytesAndSourceAndCountTheNextOnes() {
        start(failOn("user", Set.of("evt-2"), new IllegalStateException("no fold for you")));
        send(view("alice", "item-1"));
        final ClickEvent poison = view("alice", "item-1");
        events.pipeInput("alice-key", serializer.serialize(Topics.EVENTS, poison), NOON);
        send(view("alice", "item-1"));
        send(view("alice", "item-1"));

        final TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(dead.value()).as("the original value, byte for byte").isEqualTo(serializer.serialize(Topics.EVENTS, poison));
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).as("the record's own key, not the user id")
                .isEqualTo("alice-key");
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.PROCESSING_FAILED.name());
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("user-features", "no fold for you");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.EVENTS);
        assertThat(header(dead, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(count("user", "alice", "views_24h")).as("the three others counted").isEqualTo(3L);
        assertThat(count("user_category", "alice|books", "category_views_24h"))
                .as("the entity after the one that threw still took the record").isEqualTo(4L);
        assertThat(metric("dead-lettered-processing-failed-total")).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterAFailureOnTheItemsPartitionWithWhatCameThroughTheirTopic() {
        start(failOn("item", Set.of("evt-1"), new IllegalStateException("bad item")));
        final ClickEvent poison = view("alice", "item-7");
        send(poison);
        send(view("alice", "item-7"));

        final TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.partitionedBy("item_id"));
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).as("moved keyed by the item").isEqualTo("item-7");
        assertThat(dead.value()).isEqualTo(serializer.serialize(Topics.EVENTS, poison));
        assertThat(count("item", "item-7", "item_views_24h")).isEqualTo(1L);
        assertThat(count("user", "alice", "views_24h")).isEqualTo(2L);
    }

    @Test
    void shouldFailTheTaskAndDeadLetterNothingWhenTheRegistryIsDown() {
        start(failOn("user", Set.of("evt-1"),
                new SchemaRegistryUnavailableException("registry answered 503", 503, 50301, null)));

        assertThatThrownBy(() -> send(view("alice", "item-1")))
                .isInstanceOf(StreamsException.class)
                .hasRootCauseInstanceOf(SchemaRegistryUnavailableException.class);
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(metric("processing-failures-task-failed-total")).isEqualTo(1.0);
        assertThat(metric("dead-lettered-processing-failed-total")).isZero();
    }

    @Test
    void shouldFailTheTaskWhenKafkaStreamsOwnErrorSurfacesWhileProcessing() {
        start(failOn("user", Set.of("evt-1"), new StreamsException("Error encountered sending record to topic x")));

        assertThatThrownBy(() -> send(view("alice", "item-1"))).isInstanceOf(StreamsException.class)
                .hasMessageContaining("Exception caught in process");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    private void start(final RecordFault fault) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "processing-failure-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.putAll(DeadLetterProcessingExceptionHandler.streamsSettings(new ProcessingFailures(metrics)));
        driver = new TopologyTestDriver(RollstreamTopology.build(new RollstreamTopology.Settings(CATALOG,
                Duration.ofMinutes(5), 1, () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class))
                .withRecordFault(fault)), props);
        events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static RecordFault failOn(final String entity, final Set<String> eventIds, final RuntimeException failure) {
        return (at, event) -> {
            if (at.equals(entity) && eventIds.contains(event.getEventId())) {
                throw failure;
            }
        };
    }

    private ClickEvent view(final String user, final String item) {
        return ClickEvent.newBuilder().setEventId("evt-" + (++ids)).setEventType(EventType.PRODUCT_VIEW).setUserId(user)
                .setItemId(item).setCategory("books").setEventTime(NOON.minusSeconds(60)).setProperties(Map.of()).build();
    }

    private void send(final ClickEvent event) {
        events.pipeInput(event.getUserId(), serializer.serialize(Topics.EVENTS, event), NOON);
    }

    private long count(final String entity, final String id, final String feature) {
        final FeatureSet set = CATALOG.entity(entity).orElseThrow();
        final KeyValueStore<String, EntityState> store = driver.getKeyValueStore(RollstreamTopology.storeName(set));
        final FeatureEngine engine = new FeatureEngine(set);
        final EntityState state = store.get(id);
        return (Long) engine.read(state == null ? engine.newState() : state, NOON.toEpochMilli()).get(feature);
    }

    private double metric(final String name) {
        return ((Number) metrics.metric(metrics.metricName(name, ProcessingFailures.GROUP)).metricValue()).doubleValue();
    }

    private static String header(final TestRecord<?, ?> record, final String key) {
        return DeadLetterHeaders.read(record.headers(), key).orElse(null);
    }
}
