package io.rollstream.featurestore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.devstack.EmbeddedKafka;
import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.schemas.registry.SchemaRegistryConfig;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.topologies.errors.RecordFault;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No crash loops, on a real broker and a real registry: a record the topology throws on (through
 * the {@link RecordFault} seam) is dead-lettered as PROCESSING_FAILED while the records after it
 * count and no stream thread dies; a failure that is not the record's fault fails threads, which are
 * replaced with backoff until {@code /health} says to restart the instance.
 */
class ProcessingFailureIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeatureCatalog CATALOG = FeatureCatalog.of(List.of(UserActivityFeatures.featureSet()));

    private static EmbeddedKafka kafka;
    private static ApicurioRegistry registry;
    private static KafkaProducer<String, byte[]> producer;
    private static ConfluentAvroSerializer<ClickEvent> serializer;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private FeatureStoreService service;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBrokerAndRegistry() {
        kafka = EmbeddedKafka.start();
        registry = ApicurioRegistry.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of(SchemaRegistryConfig.URL_CONFIG, registry.confluentApiUrl()), false);
    }

    @AfterAll
    static void stopBrokerAndRegistry() throws Exception {
        for (final AutoCloseable closeable : new AutoCloseable[] {serializer, producer, registry, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @AfterEach
    void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void shouldDeadLetterTheRecordProcessingThrowsOnAndCountTheNextOnesWithoutReplacingAThread() throws Exception {
        final String user = "poisoned-" + UUID.randomUUID();
        final ClickEvent poison = click(user);
        start(Map.of(), (entity, event) -> {
            if (event.getEventId().equals(poison.getEventId())) {
                throw new IllegalStateException("the fold refuses event " + event.getEventId());
            }
        });
        final Set<String> threadsAtStart = threadNames();

        send(click(user));
        final byte[] poisonBytes = serializer.serialize(Topics.EVENTS, poison);
        final long poisonOffset = producer.send(new ProducerRecord<>(Topics.EVENTS, user, poisonBytes)).get().offset();
        send(click(user));
        send(click(user));

        await().atMost(WAIT).untilAsserted(() -> assertThat(clicks(user)).as("every record but the poisoned one").isEqualTo(3));
        final ConsumerRecord<byte[], byte[]> dead = readDeadLetter(user);
        assertThat(dead.value()).as("the original bytes").isEqualTo(poisonBytes);
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.PROCESSING_FAILED.name());
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("user-features", poison.getEventId());
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.EVENTS);
        assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo(Long.toString(poisonOffset));

        final String metrics = get("/metrics").body();
        assertThat(metricValue(metrics, "kafka_rollstream_streams_dead_lettered_processing_failed_total")).isEqualTo(1.0);
        assertThat(metricValue(metrics, "kafka_rollstream_streams_thread_replacements_total")).isZero();
        assertThat(threadNames()).as("the same stream threads, none replaced").isEqualTo(threadsAtStart);
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsLag()).as("every event committed").isZero());
        final HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("stream_thread_failures").asInt()).isZero();
    }

    @Test
    void shouldReplaceFailingThreadsWithBackoffAndAnswer503OnHealthOnceTheyFailTooOften() throws Exception {
        final String user = "registry-down-" + UUID.randomUUID();
        final ClickEvent stuck = click(user);
        // Not the record's fault: the task fails and is retried from its last commit, again and again.
        // A short session: a replaced thread's consumer stays in the group until it ends (45 s by default).
        start(Map.of(FeatureStoreConfig.MAX_THREAD_FAILURES, "2", FeatureStoreConfig.KAFKA_PREFIX + "session.timeout.ms",
                "10000"), (entity, event) -> {
            if (event.getEventId().equals(stuck.getEventId())) {
                throw new StreamsException("a send of this task failed fatally");
            }
        });

        send(stuck);

        await().atMost(WAIT).until(() -> get("/health").statusCode() == 503);
        final JsonNode health = JSON.readTree(get("/health").body());
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("reason").asText()).contains("2 stream thread failures within PT10M",
                FeatureStoreConfig.MAX_THREAD_FAILURES, "restart this instance", "a send of this task failed fatally");
        assertThat(metricValue(get("/metrics").body(), "kafka_rollstream_streams_thread_replacements_total"))
                .isGreaterThanOrEqualTo(2.0);
        assertThat(metricValue(get("/metrics").body(), "kafka_rollstream_streams_dead_lettered_processing_failed_total"))
                .as("good data is not set aside").isZero();
    }

    private void start(final Map<String, String> extra, final RecordFault fault) throws IOException {
        final Map<String, Object> settings = new HashMap<>(extra);
        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(FeatureStoreConfig.REGISTRY_URL, registry.confluentApiUrl());
        settings.put(FeatureStoreConfig.APPLICATION_ID, "processing-failure-it-" + UUID.randomUUID());
        settings.put(FeatureStoreConfig.STATE_DIR, stateDir.toString());
        settings.put(FeatureStoreConfig.HTTP_PORT, "0");
        service = FeatureStoreService.start(new FeatureStoreConfig(settings), CATALOG, fault);
        await().atMost(WAIT).until(() -> get("/ready").statusCode() == 200);
    }

    private static ClickEvent click(final String user) {
        return ClickEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventType(EventType.CLICK)
                .setUserId(user).setEventTime(Instant.now().minusSeconds(30)).setProperties(Map.of()).build();
    }

    private static void send(final ClickEvent event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.EVENTS, event.getUserId(), serializer.serialize(Topics.EVENTS, event))).get();
    }

    private long clicks(final String user) throws IOException {
        final HttpResponse<String> answer = get("/v1/features/user/" + user);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("features").path("click_count_1h").asLong();
    }

    private Set<String> threadNames() {
        return service.streams().metadataForLocalThreads().stream().map(ThreadMetadata::threadName)
                .collect(Collectors.toSet());
    }

    /** Records of the events topic that the application's consumer group has not committed yet. */
    private long eventsLag() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(service.applicationId()).partitionsToOffsetAndMetadata().get();
            final int partitions = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get()
                    .get(Topics.EVENTS).partitions().size();
            final Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ends.put(new TopicPartition(Topics.EVENTS, p), OffsetSpec.latest());
            }
            long lag = 0;
            for (final Map.Entry<TopicPartition, ListOffsetsResultInfo> end : admin.listOffsets(ends).all().get().entrySet()) {
                final OffsetAndMetadata at = committed.get(end.getKey());
                lag += end.getValue().offset() - (at == null ? 0 : at.offset());
            }
            return lag;
        }
    }

    private static ConsumerRecord<byte[], byte[]> readDeadLetter(final String user) {
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
                return !found.isEmpty();
            });
            // Whatever else was to come for the user has come by now.
            consumer.poll(Duration.ofSeconds(1)).forEach(record -> {
                if (record.key() != null && user.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                    found.add(record);
                }
            });
        }
        assertThat(found).as("dead letters of " + user).hasSize(1);
        return found.getFirst();
    }

    private static String header(final ConsumerRecord<?, ?> record, final String key) {
        return DeadLetterHeaders.read(record.headers(), key).orElse(null);
    }

    /** The value of an untagged metric on the Prometheus page. */
    private static double metricValue(final String page, final String name) {
        for (final String line : page.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " on /metrics:\n" + page);
    }

    private HttpResponse<String> get(final String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(service.uri() + path)).timeout(Duration.ofSeconds(5)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + path, e);
        }
    }
}
