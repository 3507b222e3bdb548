package io.rollstream.topologies;

import io.rollstream.schemas.contract.Topics;
import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureVector;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class MultiEntityTopologyTest {

    private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");
    private static final FeatureCatalog CATALOG = FeaturesFile.parse("""
            dedupe_horizon: 1h
            features:
              - name: views
                event_types: [PRODUCT_VIEW]
                aggregation: count
                windows: [1h, 24h]
              - name: clicks
                event_types: [CLICK]
                aggregation: count
                windows: [24h]
              - name: recent_items
                event_types: [PRODUCT_VIEW]
                field: item_id
                aggregation: {kind: last_k, k: 3}
                windows: [lifetime]
              - name: spend
                event_types: [PURCHASE]
                field: revenue
                aggregation: sum
                windows: [24h]
              - name: item_views
                entity: item
                event_types: [PRODUCT_VIEW]
                aggregation: count
                windows: [24h]
              - name: category_views
                entity: user_category
                event_types: [PRODUCT_VIEW]
                aggregation: count
                windows: [24h]
            derived:
              - name: ctr_24h
                ratio: [clicks_24h, views_24h]
              - name: seconds_since_last_event
                seconds_since: last_event
            """, "test");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues());
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> events;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private int ids;

    MultiEntityTopologyTest() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "multi-entity-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(RollstreamTopology.build(new RollstreamTopology.Settings(CATALOG,
                Duration.ofMinutes(5), 1, () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class))), props);
        events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldComputeUserItemAndUserCategoryFeaturesFromTheSameEvents() {
        send(view("alice", "item-1", "books", NOON.minus(Duration.ofMinutes(90))));
        send(view("alice", "item-2", "games", NOON.minus(Duration.ofMinutes(30))));
        send(view("bob", "item-1", "books", NOON.minus(Duration.ofMinutes(20))));
        send(view("alice", "item-1", "books", NOON.minus(Duration.ofMinutes(10))));
        send(event("alice", EventType.CLICK, NOON.minus(Duration.ofMinutes(9))).setItemId("item-1").build());

        final FeatureVector alice = read("user", "alice", NOON);
        assertThat(alice.get("views_1h")).isEqualTo(2L);
        assertThat(alice.get("views_24h")).isEqualTo(3L);
        assertThat(alice.get("recent_items")).isEqualTo(List.of("item-1", "item-2"));
        assertThat(alice.get("ctr_24h")).isEqualTo(1.0 / 3);
        assertThat(alice.get("seconds_since_last_event")).isEqualTo(540.0);

        assertThat(read("item", "item-1", NOON).get("item_views_24h")).as("views of item-1 by anyone").isEqualTo(3L);
        assertThat(read("item", "item-2", NOON).get("item_views_24h")).isEqualTo(1L);
        assertThat(read("user_category", "alice|books", NOON).get("category_views_24h")).isEqualTo(2L);
        assertThat(read("user_category", "bob|books", NOON).get("category_views_24h")).isEqualTo(1L);
        assertThat(read("user_category", "alice|games", NOON).get("category_views_24h")).isEqualTo(1L);
    }

    @Test
    void shouldNeedATopicOnlyForEntitiesKeyedByAFieldOtherThanTheUserId() {
        // user and user_category live where the events arrive; only item events move.
        assertThat(RollstreamTopology.partitionedByTopics(FeaturesFile.loadDefault()))
                .containsExactly(Topics.partitionedBy("item_id"));
        assertThat(RollstreamTopology.relayedEventTypes(FeaturesFile.loadDefault()))
                .as("the types the item features look at, and no others")
                .isEqualTo(Map.of("item_id", EnumSet.of(EventType.PRODUCT_VIEW, EventType.PURCHASE)));
    }

    @Test
    void shouldNeitherRelayNorStoreEventsOfTypesNoFeatureOfAnEntityLooksAt() {
        final TestOutputTopic<String, byte[]> relay = driver.createOutputTopic(Topics.partitionedBy("item_id"),
                new StringDeserializer(), new ByteArrayDeserializer());
        send(event("frank", EventType.CLICK, NOON.minus(Duration.ofMinutes(5))).setItemId("item-7").setCategory("toys").build());

        assertThat(relay.isEmpty()).as("no item feature looks at clicks: nothing to move to item-7's partition").isTrue();
        assertThat(store("item").get("item-7")).as("item-7 has no state").isNull();
        assertThat(store("user_category").get("frank|toys")).isNull();
        assertThat(read("user", "frank", NOON).get("clicks_24h")).as("the user's features still count it").isEqualTo(1L);

        send(view("frank", "item-8", "toys", NOON.minus(Duration.ofMinutes(3))));
        send(event("frank", EventType.CLICK, NOON.minus(Duration.ofMinutes(1))).setItemId("item-8").setCategory("toys").build());
        assertThat(relay.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("item-8");
        assertThat(store("item").get("item-8").newestEventTime())
                .as("the newest event an item feature looks at: the view, not the later click")
                .isEqualTo(NOON.minus(Duration.ofMinutes(3)).toEpochMilli());
        assertThat(store("user_category").get("frank|toys").newestEventTime())
                .isEqualTo(NOON.minus(Duration.ofMinutes(3)).toEpochMilli());
    }

    @Test
    void shouldCountAnEventIdOnceHoweverOftenItIsSent() {
        final ClickEvent purchase = event("carol", EventType.PURCHASE, NOON).setPrice(10.0).setQuantity(2)
                .setItemId("item-9").setCategory("toys").build();
        send(purchase);
        send(purchase);
        events.pipeInput("carol", serializer.serialize(Topics.EVENTS, purchase), NOON.plusSeconds(30));

        assertThat(read("user", "carol", NOON).get("spend_24h")).isEqualTo(20.0);
        assertThat(deadLetters.isEmpty()).as("duplicates are dropped, not dead-lettered").isTrue();
        assertThat(metric("duplicate-records-total")).isEqualTo(2.0);
    }

    @Test
    void shouldForgetEventIdsOlderThanTheDedupeHorizon() {
        final ClickEvent first = event("dave", EventType.CLICK, NOON).build();
        send(first);
        final ClickEvent sameIdTwoHoursLater = ClickEvent.newBuilder(first).setEventTime(NOON.plus(Duration.ofHours(2))).build();
        events.pipeInput("dave", serializer.serialize(Topics.EVENTS, sameIdTwoHoursLater), NOON.plus(Duration.ofHours(2)));

        assertThat(read("user", "dave", NOON.plus(Duration.ofHours(2))).get("clicks_24h"))
                .as("a 1h horizon does not remember an id two hours apart").isEqualTo(2L);
    }

    @Test
    void shouldDeadLetterEventsOlderThanTheLongestWindow() {
        send(view("erin", "item-1", "books", NOON));
        send(view("erin", "item-1", "books", NOON.minus(Duration.ofHours(25))));

        assertThat(DeadLetterHeaders.read(deadLetters.readRecord().headers(), DeadLetterHeaders.REASON)).contains("LATE_EVENT");
        assertThat(read("item", "item-1", NOON).get("item_views_24h")).as("not counted for any entity").isEqualTo(1L);
    }

    private ClickEvent view(final String user, final String item, final String category, final Instant time) {
        return event(user, EventType.PRODUCT_VIEW, time).setItemId(item).setCategory(category).setPrice(5.0).build();
    }

    private ClickEvent.Builder event(final String user, final EventType type, final Instant time) {
        return ClickEvent.newBuilder().setEventId("evt-" + (++ids)).setEventType(type).setUserId(user)
                .setEventTime(time).setProperties(Map.of());
    }

    private void send(final ClickEvent event) {
        events.pipeInput(event.getUserId(), serializer.serialize(Topics.EVENTS, event), NOON);
    }

    private KeyValueStore<String, EntityState> store(final String entity) {
        return driver.getKeyValueStore(RollstreamTopology.storeName(CATALOG.entity(entity).orElseThrow()));
    }

    private FeatureVector read(final String entity, final String key, final Instant asOf) {
        final FeatureEngine engine = new FeatureEngine(CATALOG.entity(entity).orElseThrow());
        final EntityState state = store(entity).get(key);
        return engine.read(state == null ? engine.newState() : state, asOf.toEpochMilli());
    }

    private double metric(final String name) {
        return driver.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
