package io.rollstream.it.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.FeatureStoreService;
import io.rollstream.it.support.FeatureApi;
import io.rollstream.it.support.TestKafka;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.SchemaRegistryConfig;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import io.rollstream.schemas.contract.RejectReason;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline across real process boundaries: events published in the Confluent wire format
 * by a plain KafkaProducer, a real broker, a real Apicurio registry, the feature store's topology,
 * and features read back over HTTP.
 */
class PipelineIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestKafka kafka;
    private static ApicurioRegistry registry;
    private static FeatureStoreService service;
    private static FeatureApi api;
    private static KafkaProducer<String, ClickEvent> avroProducer;
    private static KafkaProducer<String, byte[]> rawProducer;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void startPipeline() throws Exception {
        kafka = TestKafka.start();
        registry = ApicurioRegistry.start();
        final Map<String, Object> settings = new HashMap<>();
        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(FeatureStoreConfig.REGISTRY_URL, registry.confluentApiUrl());
        settings.put(FeatureStoreConfig.APPLICATION_ID, "pipeline-it-" + UUID.randomUUID());
        settings.put(FeatureStoreConfig.STATE_DIR, stateDir.toString());
        settings.put(FeatureStoreConfig.HTTP_PORT, "0");
        // A small catalog of its own: counts by event type, to assert exact values by hand.
        service = FeatureStoreService.start(new FeatureStoreConfig(settings),
                FeatureCatalog.of(List.of(UserActivityFeatures.featureSet())));
        api = new FeatureApi(service.uri());

        final Map<String, Object> producer = new HashMap<>();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class.getName());
        producer.put(SchemaRegistryConfig.URL_CONFIG, registry.confluentApiUrl());
        avroProducer = new KafkaProducer<>(producer);
        rawProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());

        await().atMost(WAIT).until(() -> api.get("/ready").status() == 200);
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        for (final AutoCloseable closeable : new AutoCloseable[] {avroProducer, rawProducer, service, registry, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void shouldServeExactCountsForEventsPublishedByAPlainKafkaProducer() throws Exception {
        final String user = "it-user-" + UUID.randomUUID();
        final Instant now = Instant.now();
        send(event(user, EventType.PAGE_VIEW, now.minus(Duration.ofMinutes(30))));
        send(event(user, EventType.PAGE_VIEW, now.minus(Duration.ofMinutes(2))));
        send(event(user, EventType.PRODUCT_VIEW, now.minus(Duration.ofMinutes(1))));
        send(event(user, EventType.PURCHASE, now.minus(Duration.ofHours(3))));
        final ClickEvent newest = event(user, EventType.CLICK, now.minusSeconds(5));
        send(newest);
        avroProducer.flush();

        await().atMost(WAIT).untilAsserted(() -> {
            final JsonNode answer = api.features("user", user);
            assertThat(answer.path("found").asBoolean()).isTrue();
            final JsonNode features = answer.path("features");
            assertThat(features.path("page_view_count_1h").asLong()).isEqualTo(2);
            assertThat(features.path("page_view_count_24h").asLong()).isEqualTo(2);
            assertThat(features.path("product_view_count_1h").asLong()).isEqualTo(1);
            assertThat(features.path("click_count_1h").asLong()).isEqualTo(1);
            assertThat(features.path("purchase_count_1h").asLong()).isEqualTo(0);
            assertThat(features.path("purchase_count_24h").asLong()).isEqualTo(1);
            assertThat(features.path("last_event_time").asLong()).isEqualTo(newest.getEventTime().toEpochMilli());
            assertThat(answer.path("entity").asText()).isEqualTo("user");
            assertThat(answer.path("id").asText()).isEqualTo(user);
            assertThat(Instant.parse(answer.path("as_of").asText())).isAfterOrEqualTo(now.minusSeconds(1));
        });
    }

    /**
     * Repeated reads of an unchanged user come from its kept answer (the metrics say so), with
     * as_of moving on; an event for the user drops the kept answer at its commit,
     * so the next reads show it.
     */
    @Test
    void shouldAnswerRepeatedReadsFromTheKeptAnswerAndShowTheNextEventOnceCommitted() throws Exception {
        final String user = "it-kept-" + UUID.randomUUID();
        final Instant now = Instant.now();
        send(event(user, EventType.CLICK, now.minus(Duration.ofMinutes(10))));
        avroProducer.flush();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(api.features("user", user).path("features").path("click_count_1h").asLong()).isEqualTo(1));
        final double hitsBefore = answerCacheHits();

        JsonNode previous = api.features("user", user);
        for (int i = 0; i < 5; i++) {
            Thread.sleep(5);
            final JsonNode again = api.features("user", user);
            assertThat(again.path("features").path("click_count_1h").asLong()).isEqualTo(1);
            assertThat(Instant.parse(again.path("as_of").asText())).isAfter(Instant.parse(previous.path("as_of").asText()));
            previous = again;
        }
        assertThat(answerCacheHits() - hitsBefore).as("reads answered from the kept answer").isGreaterThanOrEqualTo(5);

        send(event(user, EventType.CLICK, now.minus(Duration.ofMinutes(1))));
        avroProducer.flush();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(api.features("user", user).path("features").path("click_count_1h").asLong()).isEqualTo(2));
        assertThat(api.features("user", user).path("features").path("click_count_1h").asLong()).isEqualTo(2);
    }

    /** The user entity's answer-cache hits, from the Prometheus page. */
    private static double answerCacheHits() {
        final String page = api.get("/metrics").raw().body();
        for (final String line : page.split("\n")) {
            if (line.startsWith("kafka_rollstream_serving_answer_cache_hits_total") && line.contains("entity=\"user\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no answer_cache_hits_total for user on /metrics:\n" + page);
    }

    @Test
    void shouldDeadLetterBadRecordsWithTheirReasonWhileGoodRecordsKeepFlowing() throws Exception {
        final String user = "it-dlq-" + UUID.randomUUID();
        final Instant now = Instant.now();
        final byte[] garbage = ("garbage for " + user).getBytes(StandardCharsets.UTF_8);
        rawProducer.send(new ProducerRecord<>(Topics.EVENTS, user, garbage)).get();

        final ClickEvent valid = event(user, EventType.CLICK, now);
        final byte[] unknownSchema = serialize(valid);
        ByteBuffer.wrap(unknownSchema).putInt(1, 987_654_321);
        rawProducer.send(new ProducerRecord<>(Topics.EVENTS, user, unknownSchema)).get();

        final ClickEvent noUser = event(user, EventType.CLICK, now);
        noUser.setUserId(null);
        final byte[] noUserBytes = serialize(noUser);
        rawProducer.send(new ProducerRecord<>(Topics.EVENTS, user, noUserBytes)).get();

        send(event(user, EventType.ADD_TO_CART, now));
        send(event(user, EventType.ADD_TO_CART, now.minusSeconds(1)));
        avroProducer.flush();

        final Map<String, String> reasons = new HashMap<>();
        final List<ConsumerRecord<byte[], byte[]>> dead = readDeadLetters(user, 3);
        for (final ConsumerRecord<byte[], byte[]> record : dead) {
            final String reason = DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.REASON).orElseThrow();
            reasons.put(reason, DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.MESSAGE).orElse(""));
            assertThat(DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.SOURCE_TOPIC)).contains(Topics.EVENTS);
            assertThat(DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isPresent();
            switch (RejectReason.valueOf(reason)) {
                case MALFORMED -> assertThat(record.value()).isEqualTo(garbage);
                case UNKNOWN_SCHEMA -> assertThat(record.value()).isEqualTo(unknownSchema);
                case MISSING_USER_ID -> assertThat(record.value()).isEqualTo(noUserBytes);
                default -> throw new AssertionError("unexpected dead letter " + reason);
            }
        }
        assertThat(reasons).containsOnlyKeys(RejectReason.MALFORMED.name(), RejectReason.UNKNOWN_SCHEMA.name(),
                RejectReason.MISSING_USER_ID.name());
        assertThat(reasons.get(RejectReason.UNKNOWN_SCHEMA.name())).contains("987654321");

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(api.features("user", user).path("features").path("add_to_cart_count_1h").asLong()).isEqualTo(2));
        assertThat(api.get("/metrics").raw().body()).contains("dead_lettered_malformed_total");
    }

    @Test
    void shouldAnswerAnUnknownUserWithZerosAndAMalformedIdWith400() {
        final JsonNode unknown = api.features("user", "never-seen-" + UUID.randomUUID());
        assertThat(unknown.path("found").asBoolean()).isFalse();
        unknown.path("features").fields().forEachRemaining(field -> {
            if (!field.getKey().equals("last_event_time")) {
                assertThat(field.getValue().asLong()).as(field.getKey()).isZero();
            }
        });
        assertThat(unknown.path("features").path("last_event_time").isNull()).isTrue();

        assertThat(api.rawGetStatus("/v1/features/user/bad%zzid")).isEqualTo(400);
        final FeatureApi.Answer badUtf8 = api.get("/v1/features/user/bad%C3%28id");
        assertThat(badUtf8.status()).isEqualTo(400);
        assertThat(badUtf8.body().path("error").asText()).contains("not valid UTF-8");
        final FeatureApi.Answer control = api.get("/v1/features/user/a%01b");
        assertThat(control.status()).isEqualTo(400);
        assertThat(control.body().path("error").asText()).contains("control character");
        final FeatureApi.Answer tooLong = api.get("/v1/features/user/" + "x".repeat(300));
        assertThat(tooLong.status()).isEqualTo(400);
        final FeatureApi.Answer unknownEntity = api.get("/v1/features/planet/earth");
        assertThat(unknownEntity.status()).isEqualTo(404);
        assertThat(unknownEntity.body().path("error").asText()).contains("unknown entity 'planet'").contains("user");
    }

    @Test
    void shouldCreateTheEventsTopicRefusingRecordsStampedFurtherAheadThanTheEngineKeepsTilesFor() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS);
            final Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG).value())
                    .as("the default max future skew, 5 minutes").isEqualTo("300000");
        }
        // Half an hour: inside Kafka's own default allowance (an hour), outside Rollstream's.
        final Instant halfAnHourAhead = Instant.now().plus(Duration.ofMinutes(30));
        final ClickEvent event = event("fast-clock", EventType.PAGE_VIEW, halfAnHourAhead);

        final Future<RecordMetadata> sent = rawProducer.send(new ProducerRecord<>(Topics.EVENTS, null,
                halfAnHourAhead.toEpochMilli(), event.getUserId(), serialize(event)));

        assertThatThrownBy(sent::get).hasCauseInstanceOf(InvalidTimestampException.class);
    }

    @Test
    void shouldReportLivenessAndReadiness() {
        final FeatureApi.Answer health = api.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asText()).isEqualTo("UP");
        final FeatureApi.Answer ready = api.get("/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("streams_state").asText()).isEqualTo("RUNNING");
    }

    private static ClickEvent event(final String user, final EventType type, final Instant time) {
        return ClickEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType(type)
                .setUserId(user)
                .setEventTime(time)
                .setProperties(Map.of("source", "it"))
                .build();
    }

    private static void send(final ClickEvent event) throws Exception {
        avroProducer.send(new ProducerRecord<>(Topics.EVENTS, event.getUserId(), event)).get();
    }

    private static byte[] serialize(final ClickEvent event) {
        try (ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>()) {
            serializer.configure(Map.of(SchemaRegistryConfig.URL_CONFIG, registry.confluentApiUrl()), false);
            return serializer.serialize(Topics.EVENTS, event);
        }
    }

    /** The dead letters whose key is {@code user}, waiting until {@code expected} arrived. */
    private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(final String user, final int expected) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            await().atMost(WAIT).until(() -> {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && user.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        found.add(record);
                    }
                }
                return found.size() >= expected;
            });
        }
        return found;
    }
}
