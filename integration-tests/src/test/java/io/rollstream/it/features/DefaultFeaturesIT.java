package io.rollstream.it.features;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.FeatureStoreService;
import io.rollstream.generator.ClickstreamModel;
import io.rollstream.it.support.FeatureApi;
import io.rollstream.it.support.ServedFeatures;
import io.rollstream.it.support.TestKafka;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.SchemaRegistryConfig;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.topologies.ingest.OwnerPartition;
import io.rollstream.topologies.oracle.FeatureComparison;
import io.rollstream.topologies.oracle.FeatureOracle;
import io.rollstream.topologies.oracle.Published;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every default feature, served over HTTP by a feature store on a real broker (three partitions)
 * and a real Apicurio registry, against the brute-force {@link FeatureOracle} fed the very records
 * published: a few thousand generated events from the last hours, published a little out of order,
 * some re-sent with the same event id. Stream time is per partition here, so no event is late;
 * the oracle's features are per entity key, which partitioning does not change.
 */
class DefaultFeaturesIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int PARTITIONS = 3;
    private static final int EVENTS = 3_000;
    private static final Duration SPAN = Duration.ofHours(6);

    private static final FeatureCatalog CATALOG = FeaturesFile.loadDefault();

    private static TestKafka kafka;
    private static ApicurioRegistry registry;
    private static FeatureStoreService service;
    private static FeatureApi api;
    private static KafkaProducer<String, ClickEvent> producer;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void startPipeline() throws Exception {
        kafka = TestKafka.start();
        registry = ApicurioRegistry.start();
        final Map<String, Object> settings = new HashMap<>();
        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(FeatureStoreConfig.REGISTRY_URL, registry.confluentApiUrl());
        settings.put(FeatureStoreConfig.APPLICATION_ID, "default-features-it-" + UUID.randomUUID());
        settings.put(FeatureStoreConfig.STATE_DIR, stateDir.toString());
        settings.put(FeatureStoreConfig.HTTP_PORT, "0");
        settings.put(FeatureStoreConfig.TOPIC_PARTITIONS, Integer.toString(PARTITIONS));
        service = FeatureStoreService.start(new FeatureStoreConfig(settings), CATALOG);
        api = new FeatureApi(service.uri());

        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class.getName());
        config.put(SchemaRegistryConfig.URL_CONFIG, registry.confluentApiUrl());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer = new KafkaProducer<>(config);

        await().atMost(WAIT).until(() -> api.get("/ready").status() == 200);
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        for (final AutoCloseable closeable : new AutoCloseable[] {producer, service, registry, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void shouldServeEveryDefaultFeatureAsTheOracleComputesItFromThePublishedEvents() throws Exception {
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final List<ClickEvent> events = generatedStream(run);
        final List<Published> published = publish(events);
        final FeatureOracle oracle = new FeatureOracle(CATALOG, Duration.ofMinutes(5)).offerAll(published);
        assertThat(oracle.verdicts()).as("no record of this stream is invalid or late")
                .allSatisfy(verdict -> assertThat(verdict.outcome()).isNotEqualTo(FeatureOracle.Outcome.DEAD_LETTERED));

        final ServedFeatures served = new ServedFeatures(api, CATALOG, PARTITIONS);
        served.awaitCaughtUp(producer, run, WAIT);

        served.assertAsOracle("features served over HTTP vs the oracle", oracle, 61);
    }

    /**
     * Ids are free-form strings, so a user or an item id may contain the '|' that joins composite
     * keys. Such an id is answered 400 ("not an id of entity 'user'": its '|' is counted as a key
     * separator) and, were it accepted, its partition would be computed from the part before the
     * '|' only, so the query would go to a partition that does not hold it.
     */
    @Test
    void shouldServeUsersAndItemsWhoseIdsContainTheCompositeKeySeparator() throws Exception {
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String user = "team|" + run;
        final String item = "sku|" + run;
        final ClickEvent view = ClickEvent.newBuilder().setEventId("pipe-" + run).setEventType(EventType.PRODUCT_VIEW)
                .setUserId(user).setItemId(item).setCategory("books").setPrice(12.5).setEventTime(Instant.now())
                .setProperties(Map.of()).build();
        producer.send(new ProducerRecord<>(Topics.EVENTS, user, view)).get();
        // A plain user and item on the same partitions, published after: once they show, so has the view.
        final OwnerPartition owner = new OwnerPartition(PARTITIONS);
        final String plainUser = IntStream.range(0, 1000).mapToObj(n -> "plain-" + run + "-u" + n)
                .filter(id -> owner.of(id) == owner.of(user)).findFirst().orElseThrow();
        final String plainItem = IntStream.range(0, 1000).mapToObj(n -> "plain-" + run + "-i" + n)
                .filter(id -> owner.of(id) == owner.of(item)).findFirst().orElseThrow();
        producer.send(new ProducerRecord<>(Topics.EVENTS, plainUser, ClickEvent.newBuilder(view)
                .setEventId("plain-" + run).setUserId(plainUser).setItemId(plainItem).build())).get();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(api.features("user", plainUser).path("found").asBoolean()).isTrue();
            assertThat(api.features("item", plainItem).path("found").asBoolean()).isTrue();
        });

        final FeatureApi.Answer userAnswer = api.get("/v1/features/user/" + user.replace("|", "%7C"));
        assertThat(userAnswer.status()).as("GET user %s: %s", user, userAnswer.raw().body()).isEqualTo(200);
        assertThat(userAnswer.body().path("features").path("views_1h").asLong()).isEqualTo(1);
        final FeatureApi.Answer itemAnswer = api.get("/v1/features/item/" + item.replace("|", "%7C"));
        assertThat(itemAnswer.status()).as("GET item %s: %s", item, itemAnswer.raw().body()).isEqualTo(200);
        assertThat(itemAnswer.body().path("features").path("item_views_1h").asLong()).isEqualTo(1);
    }

    /**
     * The generator's shoppers over the last hours, ids made unique to this run. Published a little
     * out of order (neighbours swapped), and 3% of the events published again later with the same
     * event id, as a producer retry would.
     */
    private static List<ClickEvent> generatedStream(final String run) {
        final ClickstreamModel model = new ClickstreamModel(42, 100, 500);
        final Instant start = Instant.now().minus(SPAN);
        final List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            final ClickEvent event = model.next(start.plusMillis(SPAN.toMillis() * i / EVENTS));
            event.setEventId(run + "-" + event.getEventId());
            events.add(event);
        }
        final Random random = new Random(7);
        for (int i = 0; i + 1 < events.size(); i += 2 + random.nextInt(5)) {
            events.set(i, events.set(i + 1, events.get(i)));
        }
        for (int i = 0; i < EVENTS * 3 / 100; i++) {
            final int original = random.nextInt(EVENTS);
            events.add(original + 1 + random.nextInt(EVENTS - original), events.get(original));
        }
        return events;
    }

    /** Sends every event keyed by user, and returns them as published: with the timestamps the broker stored. */
    private static List<Published> publish(final List<ClickEvent> events) throws Exception {
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (final ClickEvent event : events) {
            sent.add(producer.send(new ProducerRecord<>(Topics.EVENTS, event.getUserId(), event)));
        }
        producer.flush();
        final List<Published> published = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            published.add(Published.of(events.get(i), sent.get(i).get().timestamp()));
        }
        return published;
    }
}
