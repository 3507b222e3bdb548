package io.rollstream.bench;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.serde.ClickEventSerde;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class HoppingWindowsDslTopologyTest {

    private static final List<Duration> WINDOWS = List.of(Duration.ofHours(1), Duration.ofHours(24));
    private static final Instant EVENT_TIME = Instant.parse("2026-11-20T10:30:00Z");

    @TempDir
    Path stateDir;

    private final ClickEventSerde serde = new ClickEventSerde(new InMemorySchemaRegistryClient());

    @Test
    void shouldCountEachEventInEveryHoppingWindowThatCoversItsEventTime() {
        try (TopologyTestDriver driver = driver()) {
            final TestInputTopic<String, ClickEvent> events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), serde.serializer());
            // Arrives an hour after it happened: windows must follow the event time.
            events.pipeInput("user-1", event(EventType.PURCHASE, EVENT_TIME), EVENT_TIME.plus(Duration.ofHours(1)));

            final List<KeyValue<Long, EventTypeCounts>> hourly = windows(driver, "1h");
            final List<KeyValue<Long, EventTypeCounts>> daily = windows(driver, "24h");

            assertThat(hourly).hasSize(60);
            assertThat(daily).hasSize(1440);
            assertThat(HoppingWindowsDslTopology.windowUpdatesPerEvent(WINDOWS)).isEqualTo(60 + 1440);
            for (final KeyValue<Long, EventTypeCounts> window : hourly) {
                assertThat(window.key).isBetween(EVENT_TIME.minus(Duration.ofHours(1)).toEpochMilli(), EVENT_TIME.toEpochMilli());
                assertThat(window.value.count(EventType.PURCHASE)).isEqualTo(1);
            }
        }
    }

    private TopologyTestDriver driver() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dsl-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(HoppingWindowsDslTopology.build(serde, WINDOWS, Duration.ofHours(24)), props);
    }

    private static List<KeyValue<Long, EventTypeCounts>> windows(final TopologyTestDriver driver, final String label) {
        final WindowStore<String, EventTypeCounts> store = driver.getWindowStore("bench-dsl-counts-" + label);
        final List<KeyValue<Long, EventTypeCounts>> windows = new ArrayList<>();
        try (WindowStoreIterator<EventTypeCounts> iterator = store.fetch("user-1", Instant.EPOCH, EVENT_TIME.plus(Duration.ofDays(2)))) {
            iterator.forEachRemaining(windows::add);
        }
        return windows;
    }

    private static ClickEvent event(final EventType type, final Instant time) {
        return ClickEvent.newBuilder().setEventId("evt-1").setEventType(type).setUserId("user-1").setEventTime(time)
                .setProperties(Map.of()).build();
    }
}
