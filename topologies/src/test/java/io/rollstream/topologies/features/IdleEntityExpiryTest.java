package io.rollstream.topologies.features;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.FeatureVector;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.topologies.RollstreamTopology;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle entities expire, through the whole topology in a TopologyTestDriver: removed from the store
 * and, with tombstones, from its changelog; judged by stream time against their newest event time;
 * and never on the strength of records older than what the stream thread holds.
 */
class IdleEntityExpiryTest {

    private static final String APPLICATION_ID = "idle-expiry-test";
    private static final Instant START = Instant.parse("2026-11-21T00:00:00Z");
    private static final Duration EXPIRY = Duration.ofHours(2);
    /** Windows of up to an hour, so lateness is an hour: the expiry is the default, spelled out. */
    private static final FeatureCatalog CATALOG = FeaturesFile.parse("""
            idle_expiry: 2h
            features:
              - name: views
                aggregation: count
                windows: [1h]
              - name: all_views
                aggregation: count
                windows: [lifetime]
            derived:
              - name: seconds_since_last_event
                seconds_since: last_event
            """, "expiry.yaml");
    private static final FeatureSet USER = CATALOG.entity("user").orElseThrow();
    private static final String STORE = RollstreamTopology.storeName(USER);

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ConfluentAvroSerializer<ClickEvent> serializer =
            new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues());
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> events;
    private final TestOutputTopic<byte[], byte[]> changelog;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final ExecutorService queries = Executors.newSingleThreadExecutor();
    private int ids;

    IdleEntityExpiryTest() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(RollstreamTopology.build(new RollstreamTopology.Settings(CATALOG,
                Duration.ofMinutes(5), 1, () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class))), props);
        events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        changelog = driver.createOutputTopic(APPLICATION_ID + "-" + STORE + "-changelog", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        queries.shutdownNow();
        driver.close();
    }

    @Test
    void shouldRemoveEntitiesIdleLongerThanTheExpiryFromTheStoreAndItsChangelog() throws Exception {
        final int oneOff = 2_000;
        for (int i = 0; i < oneOff; i++) {
            view("visitor-" + i, START.plusMillis(i));
        }
        final List<String> regulars = List.of("regular-1", "regular-2", "regular-3");
        // Regulars every ten minutes until well past the expiry of the one-off visitors: each
        // advance of stream time by a second or more is a sweep.
        Instant time = START;
        int regularViews = 0;
        while (time.isBefore(START.plus(EXPIRY).plus(Duration.ofMinutes(30)))) {
            time = time.plus(Duration.ofMinutes(10));
            for (final String regular : regulars) {
                view(regular, time);
            }
            regularViews++;
            if (time.equals(START.plus(EXPIRY))) {
                assertThat(heads()).as("none idle for longer than the expiry yet").isEqualTo(oneOff + regulars.size());
            }
        }

        assertThat(heads()).as("only the regulars are left").isEqualTo(regulars.size());
        assertThat(metric()).isEqualTo(oneOff);
        for (final String regular : regulars) {
            assertThat(read(regular, time).get("all_views")).as("a regular never expired").isEqualTo((long) regularViews);
        }
        assertThat(onQueryThread(() -> store().get("visitor-7"))).as("an expired entity reads as not found").isNull();
        assertThat(read("visitor-7", time).get("seconds_since_last_event")).isNull();

        final Map<String, byte[]> compacted = compactedChangelog();
        for (int i = 0; i < oneOff; i++) {
            assertThat(compacted).as("a restore does not bring visitor-%d back", i)
                    .containsEntry("visitor-" + i, null);
        }
        assertThat(compacted.get("regular-1")).isNotNull();
    }

    @Test
    void shouldStartAnEntityIdleLongerThanTheExpiryOverOnItsNextEvent() throws Exception {
        view("returning", START);
        view("returning", START.plus(Duration.ofMinutes(30)));
        view("returning", START.plus(Duration.ofMinutes(30)).plus(EXPIRY));
        assertThat(read("returning", START.plus(EXPIRY)).get("all_views"))
                .as("idle for exactly the expiry: kept").isEqualTo(3L);

        view("returning", START.plus(Duration.ofMinutes(31)).plus(EXPIRY).plus(EXPIRY));
        assertThat(read("returning", START.plus(EXPIRY.multipliedBy(3))).get("all_views"))
                .as("idle a minute longer: its lifetime count starts over").isEqualTo(1L);
        assertThat(metric()).isEqualTo(1);
    }

    @Test
    void shouldKeepAnEntityWhoseOnlyEventCameLateUntilThatEventTimeIsTheExpiryBehind() throws Exception {
        final Instant arrival = START.plus(Duration.ofHours(1));
        view("someone-else", arrival);
        final Instant late = arrival.minus(Duration.ofMinutes(50));
        events.pipeInput("late-comer", serializer.serialize(Topics.EVENTS, event("late-comer", late)), arrival);
        driver.advanceWallClockTime(IdleEntityExpiry.SWEEP_INTERVAL);
        assertThat(deadLetters.isEmpty()).as("within the hour of lateness: admitted").isTrue();

        // Judged by event time, like windows: 70 minutes after it arrived, not 2 hours.
        view("someone-else", late.plus(EXPIRY));
        assertThat(onQueryThread(() -> store().get("late-comer"))).as("its event exactly the expiry behind").isNotNull();
        view("someone-else", late.plus(EXPIRY).plusSeconds(1));
        view("someone-else", late.plus(EXPIRY).plusSeconds(2));
        assertThat(onQueryThread(() -> store().get("late-comer"))).as("a second more").isNull();
    }

    @Test
    void shouldNotRemoveAnEntityWhoseNewerStateIsNotWrittenYet() throws Exception {
        view("back", START);
        // One record both brings "back" a new event and moves stream time past its written head's
        // expiry: the sweep that follows reads the old head while the new state is still only in
        // the stream thread's cache (written at the commit after the sweep).
        view("back", START.plus(EXPIRY).plus(Duration.ofMinutes(1)));

        final EntityState state = onQueryThread(() -> store().get("back"));
        assertThat(state).as("kept by its unwritten event").isNotNull();
        assertThat(read("back", START.plus(EXPIRY).plus(Duration.ofMinutes(1))).get("all_views"))
                .as("started over with that event").isEqualTo(1L);
        assertThat(metric()).as("expired once, when its event found it idle; not again by the sweep").isEqualTo(1);
    }

    private void view(final String user, final Instant time) {
        events.pipeInput(user, serializer.serialize(Topics.EVENTS, event(user, time)), time);
        // Sweeps are paced by the wall clock: one after every event here.
        driver.advanceWallClockTime(IdleEntityExpiry.SWEEP_INTERVAL);
    }

    private ClickEvent event(final String user, final Instant time) {
        return ClickEvent.newBuilder().setEventId("evt-" + (++ids)).setEventType(EventType.PAGE_VIEW).setUserId(user)
                .setEventTime(time).setProperties(Map.of()).build();
    }

    private KeyValueStore<String, EntityState> store() {
        return driver.getKeyValueStore(STORE);
    }

    /** Entities in the store, counted from its records, as an interactive query lists them. */
    private int heads() throws Exception {
        return onQueryThread(() -> {
            int count = 0;
            try (KeyValueIterator<String, EntityState> all = store().all()) {
                while (all.hasNext()) {
                    all.next();
                    count++;
                }
            }
            return count;
        });
    }

    /** The features of {@code key} as the feature store reads them: from another thread, so from storage. */
    private FeatureVector read(final String key, final Instant asOf) throws Exception {
        final FeatureEngine engine = new FeatureEngine(USER);
        final EntityState state = onQueryThread(() -> store().get(key));
        return engine.read(state == null ? engine.newState() : state, asOf.toEpochMilli());
    }

    /** What a restore would load: by entity, the last value of its head record in the changelog. */
    private Map<String, byte[]> compactedChangelog() {
        final Map<String, byte[]> heads = new HashMap<>();
        for (final KeyValue<byte[], byte[]> record : changelog.readKeyValuesToList()) {
            final EntityStoreKeys.Parsed key = EntityStoreKeys.parse(record.key);
            if (key.isHead()) {
                heads.put(key.entity(), record.value);
            }
        }
        return heads;
    }

    private long metric() {
        return Math.round(driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("expired-entities-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum());
    }

    private <T> T onQueryThread(final Callable<T> query) throws Exception {
        try {
            return queries.submit(query).get();
        } catch (final ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
