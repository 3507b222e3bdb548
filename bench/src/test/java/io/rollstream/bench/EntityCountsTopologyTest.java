package io.rollstream.bench;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.serde.ClickEventSerde;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** (d) does the work it claims, no less: every entity of the default file counted per key, item events relayed. */
class EntityCountsTopologyTest {

    private static final Instant TIME = Instant.parse("2026-11-20T10:30:00Z");

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ClickEventSerde serde = new ClickEventSerde(registry);
    private final RollstreamUnderTest rollstream = RollstreamUnderTest.of(null);

    @Test
    void shouldCountEachEntityOfTheFeaturesFileByItsKeyAndRelayOnlyTheEventsItemFeaturesLookAt() {
        assertThat(EntityCountsTopology.relayTopics(rollstream.relayedEventTypes())).containsExactly("bench-floor.by-item-id");
        try (TopologyTestDriver driver = driver()) {
            final TestInputTopic<String, ClickEvent> events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(),
                    serde.serializer());
            events.pipeInput("u1", event("e1", EventType.PRODUCT_VIEW, "u1", "i1", "books"), TIME);
            events.pipeInput("u1", event("e2", EventType.PRODUCT_VIEW, "u1", "i1", "books"), TIME);
            events.pipeInput("u2", event("e3", EventType.PRODUCT_VIEW, "u2", "i1", "games"), TIME);
            events.pipeInput("u1", event("e4", EventType.PURCHASE, "u1", "i2", "books"), TIME);
            // No item or user_category feature looks at searches: counted for the user, not relayed.
            events.pipeInput("u2", event("e5", EventType.SEARCH, "u2", "i1", "games"), TIME);

            assertThat(count(driver, "user", "u1")).isEqualTo(3);
            assertThat(count(driver, "user", "u2")).isEqualTo(2);
            assertThat(count(driver, "user_category", "u1|books")).as("product views only").isEqualTo(2);
            assertThat(count(driver, "user_category", "u2|games")).isEqualTo(1);
            assertThat(count(driver, "item", "i1")).as("relayed, decoded again, counted by item").isEqualTo(3);
            assertThat(count(driver, "item", "i2")).isEqualTo(1);
            assertThat(driver.createOutputTopic("bench-floor.by-item-id", new StringDeserializer(), new ByteArrayDeserializer())
                    .readRecordsToList().stream().map(TestRecord::key).toList())
                    .as("keyed by item; the search stays").containsExactly("i1", "i1", "i1", "i2");
        }
    }

    private TopologyTestDriver driver() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "floor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(EntityCountsTopology.build(
                () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class), rollstream.entities(),
                rollstream.relayedEventTypes()), props);
    }

    private static Long count(final TopologyTestDriver driver, final String entity, final String key) {
        final KeyValueStore<String, Long> store = driver.getKeyValueStore("bench-floor-" + entity);
        return store.get(key);
    }

    private static ClickEvent event(final String id, final EventType type, final String user, final String item,
                                    final String category) {
        return ClickEvent.newBuilder().setEventId(id).setEventType(type).setUserId(user).setEventTime(TIME)
                .setItemId(item).setCategory(category).setPrice(10.0).setProperties(Map.of()).build();
    }
}
