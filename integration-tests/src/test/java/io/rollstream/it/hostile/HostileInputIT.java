package io.rollstream.it.hostile;

import io.rollstream.collector.CollectorServer;
import io.rollstream.collector.CollectorSettings;
import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.generator.ClickstreamModel;
import io.rollstream.it.support.FeatureApi;
import io.rollstream.it.support.ServedFeatures;
import io.rollstream.it.support.ServiceProcess;
import io.rollstream.it.support.TestKafka;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryConfig;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.schemas.testing.HostileAvro;
import io.rollstream.topologies.ingest.OwnerPartition;
import io.rollstream.topologies.oracle.FeatureOracle;
import io.rollstream.topologies.oracle.Published;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a hostile or broken producer can send, on a real broker and a real Apicurio registry,
 * against a feature store running as its own OS process with a 512 MB heap: none of it may stop a
 * partition, grow the instance, or cost a valid neighbour its count.
 */
class HostileInputIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(30);
    private static final int PARTITIONS = 3;
    private static final FeatureCatalog CATALOG = FeaturesFile.loadDefault();
    private static final long MIB = 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestKafka kafka;
    private static ApicurioRegistry registry;
    private static ServiceProcess service;
    private static FeatureApi api;
    private static CollectorServer collector;
    private static SchemaRegistryClient registryClient;
    private static KafkaProducer<String, ClickEvent> avro;
    private static KafkaProducer<String, byte[]> raw;
    private static ConfluentAvroSerializer<ClickEvent> serializer;
    private static DeadLetterLog deadLetters;
    private static final OwnerPartition OWNER = new OwnerPartition(PARTITIONS);

    @TempDir
    static Path workDir;

    @BeforeAll
    static void startPipeline() throws Exception {
        kafka = TestKafka.start();
        registry = ApicurioRegistry.start();
        final Map<String, String> settings = new HashMap<>();
        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(FeatureStoreConfig.REGISTRY_URL, registry.confluentApiUrl());
        settings.put(FeatureStoreConfig.APPLICATION_ID, "hostile-input-it-" + UUID.randomUUID());
        settings.put(FeatureStoreConfig.STATE_DIR, workDir.resolve("state").toString());
        settings.put(FeatureStoreConfig.HTTP_PORT, "0");
        settings.put(FeatureStoreConfig.TOPIC_PARTITIONS, Integer.toString(PARTITIONS));
        service = ServiceProcess.start(settings, "512m", workDir.resolve("service"));
        api = new FeatureApi(service.uri());
        await().atMost(WAIT).until(() -> api.get("/ready").status() == 200);

        collector = CollectorServer.start(CollectorSettings.builder().bootstrapServers(kafka.bootstrapServers())
                .registryUrl(registry.confluentApiUrl()).httpPort(0).build());
        registryClient = RestSchemaRegistryClient.builder(registry.confluentApiUrl()).build();
        serializer = new ConfluentAvroSerializer<>(registryClient, SerializerOptions.forValues());
        final Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.put(SchemaRegistryConfig.URL_CONFIG, registry.confluentApiUrl());
        avro = new KafkaProducer<>(producerConfig, new StringSerializer(), new ConfluentAvroSerializer<>(registryClient,
                SerializerOptions.forValues()));
        raw = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        deadLetters = new DeadLetterLog(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        for (final AutoCloseable closeable : new AutoCloseable[] {deadLetters, avro, raw, collector, registryClient,
                service, registry, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void shouldRefuseAHugeCategoryAtTheCollectorAndDeadLetterItFromAPlainProducerAndKeepServing() throws Exception {
        final String run = run();
        final String category = "c".repeat(600_000);
        for (int i = 0; i < 2; i++) {
            final HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(collector.uri().resolve("/v1/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"PRODUCT_VIEW\",\"user_id\":\"mallory-" + run
                            + "\",\"item_id\":\"i-" + run + "\",\"event_time\":\"" + Instant.now() + "\",\"category\":\""
                            + category + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
            assertThat(answer.body()).contains("\"field\":\"category\"").contains("\"reason\":\"OVERSIZED\"")
                    .contains("over the limit of " + EventLimits.DEFAULT_MAX_TEXT_CHARS + " (" + EventLimits.MAX_TEXT_CHARS_CONFIG + ")");
            awaitServedOnTheSamePartition("mallory-" + run, run + "-collector-" + i);
        }

        final List<String> sources = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            final ClickEvent huge = event("mallory-" + run, EventType.PRODUCT_VIEW, Instant.now())
                    .setItemId("i-" + run).setCategory(category).build();
            final RecordMetadata sent = avro.send(new ProducerRecord<>(Topics.EVENTS, huge.getUserId(), huge)).get();
            sources.add(DeadLetterLog.source(Topics.EVENTS, sent.partition(), sent.offset()));
            awaitServedOnTheSamePartition(huge.getUserId(), run + "-producer-" + i);
        }

        final Map<String, List<DeadLetterLog.Letter>> letters = deadLetters.awaitAll(sources, WAIT);
        for (final String source : sources) {
            assertThat(letters.get(source)).as(source).hasSize(1);
            assertThat(letters.get(source).getFirst().reason()).isEqualTo(RejectReason.OVERSIZED.name());
            assertThat(letters.get(source).getFirst().message()).contains("most of them in category (6000")
                    .contains("(field category)");
        }
        assertNoStreamThreadReplaced();
        assertThat(service.isAlive()).isTrue();
    }

    @Test
    void shouldDeadLetterRecordsDeclaringGigabytesWithoutGrowingTheInstance() throws Exception {
        final String run = run();
        final int clickEventId = registryClient.register(Topics.EVENTS + "-value", ClickEvent.getClassSchema());
        final int withTagsId = registryClient.register("hostile-input-it-value", HostileAvro.WITH_TAGS);
        final ServedFeatures served = new ServedFeatures(api, CATALOG, PARTITIONS);
        // Warm up every path the measured part takes (decoding, dead-lettering, relays, reads).
        for (int i = 0; i < 300; i++) {
            avro.send(new ProducerRecord<>(Topics.EVENTS, "warm-" + run + "-" + i % 30,
                    event("warm-" + run + "-" + i % 30, EventType.PRODUCT_VIEW, Instant.now()).setItemId("w" + i % 7).build()));
            raw.send(new ProducerRecord<>(Topics.EVENTS, "warm-" + run, ("not avro " + i).getBytes()));
        }
        served.awaitCaughtUp(avro, run + "-warm", WAIT);
        Thread.sleep(2_000);
        final long before = service.residentBytes();

        final List<String> bombs = new ArrayList<>();
        final Map<String, Integer> goodViews = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            final String user = "bomber-" + run + "-" + round;
            for (final byte[] bomb : List.of(HostileAvro.hugeString(clickEventId, user), HostileAvro.hugeMap(clickEventId, user),
                    HostileAvro.hugeArray(withTagsId, user))) {
                assertThat(bomb.length).isLessThan(100);
                final RecordMetadata sent = raw.send(new ProducerRecord<>(Topics.EVENTS, user, bomb)).get();
                bombs.add(DeadLetterLog.source(Topics.EVENTS, sent.partition(), sent.offset()));
                for (int good = 0; good < 3; good++) {
                    final String neighbour = "neighbour-" + run + "-" + bombs.size() + "-" + good;
                    avro.send(new ProducerRecord<>(Topics.EVENTS, neighbour, event(neighbour, EventType.PRODUCT_VIEW,
                            Instant.now()).setItemId("n" + good).build()));
                    goodViews.merge(neighbour, 1, Integer::sum);
                }
            }
        }
        avro.flush();

        final Map<String, List<DeadLetterLog.Letter>> letters = deadLetters.awaitAll(bombs, WAIT);
        served.awaitCaughtUp(avro, run, WAIT);
        final long after = service.residentBytes();
        System.out.printf("HostileInputIT: resident memory %d MiB before the bombs, %d MiB after%n", before / MIB, after / MIB);
        for (final String bomb : bombs) {
            assertThat(letters.get(bomb)).as(bomb).hasSize(1);
            assertThat(letters.get(bomb).getFirst().reason()).isEqualTo(RejectReason.MALFORMED.name());
            assertThat(letters.get(bomb).getFirst().message()).contains("refused before decoding")
                    .contains(Long.toString(HostileAvro.HUGE));
        }
        goodViews.forEach((user, views) ->
                assertThat(api.features("user", user).path("features").path("views_1h").asLong()).as(user).isEqualTo((long) views));
        assertThat(after - before).as("resident memory growth, %d MiB before", before / MIB).isLessThan(64 * MIB);
        assertThat(service.isAlive()).as("the instance survived: " + service.logTail()).isTrue();
        assertNoStreamThreadReplaced();
    }

    /**
     * At least 20 000 records, bad and good mixed 1:1: random bytes, truncated Avro, unknown schema
     * ids, declared lengths of gigabytes, fields one past their limit, records stamped a month
     * ahead (the events topic is opened to them first, as an old broker or an existing topic would
     * be), events without a user; and good events, some with every field at its limit. Every bad
     * record is in the dead-letter topic once, with its reason; every good one counts exactly as
     * the brute-force oracle says.
     */
    @Test
    void shouldDeadLetterEveryBadRecordOfAFuzzedStreamOnceAndCountEveryGoodOneExactly() throws Exception {
        final String run = run();
        allowRecordsStampedAnyTimeAhead();
        final int clickEventId = registryClient.register(Topics.EVENTS + "-value", ClickEvent.getClassSchema());
        final int withTagsId = registryClient.register("hostile-input-it-value", HostileAvro.WITH_TAGS);
        final Random random = new Random(20_000);
        final ClickstreamModel model = new ClickstreamModel(15, 200, 400);
        final Instant start = Instant.now().minus(Duration.ofHours(2));
        final int good = 10_000;

        final List<ClickEvent> goodEvents = new ArrayList<>();
        final List<Future<RecordMetadata>> goodSent = new ArrayList<>();
        final Map<Future<RecordMetadata>, RejectReason> badSent = new LinkedHashMap<>();
        for (int i = 0; i < good; i++) {
            final ClickEvent event = model.next(start.plusMillis(Duration.ofHours(2).toMillis() * i / good));
            event.setEventId(run + "-" + event.getEventId());
            event.setUserId(run + "-" + event.getUserId());
            if (event.getItemId() != null) {
                event.setItemId(run + "-" + event.getItemId());
            }
            if (i % 100 == 0) {
                atTheLimits(event, i);
            }
            goodEvents.add(event);
            goodSent.add(raw.send(new ProducerRecord<>(Topics.EVENTS, event.getUserId(), serializer.serialize(Topics.EVENTS, event))));
            final int kind = random.nextInt(9);
            final Bad bad = bad(kind, event, random, clickEventId, withTagsId);
            badSent.put(raw.send(new ProducerRecord<>(Topics.EVENTS, null, bad.timestamp(), event.getUserId(), bad.value())),
                    bad.reason());
        }
        raw.flush();

        final List<Published> published = new ArrayList<>();
        final List<String> goodSources = new ArrayList<>();
        for (int i = 0; i < good; i++) {
            final RecordMetadata metadata = goodSent.get(i).get();
            published.add(Published.of(goodEvents.get(i), metadata.timestamp()));
            goodSources.add(DeadLetterLog.source(Topics.EVENTS, metadata.partition(), metadata.offset()));
        }
        final Map<String, RejectReason> expected = new LinkedHashMap<>();
        for (final Map.Entry<Future<RecordMetadata>, RejectReason> bad : badSent.entrySet()) {
            final RecordMetadata metadata = bad.getKey().get();
            expected.put(DeadLetterLog.source(Topics.EVENTS, metadata.partition(), metadata.offset()), bad.getValue());
        }
        final Map<String, List<DeadLetterLog.Letter>> letters = deadLetters.awaitAll(expected.keySet(), WAIT);
        final ServedFeatures served = new ServedFeatures(api, CATALOG, PARTITIONS);
        served.awaitCaughtUp(avro, run, WAIT);

        final List<String> problems = new ArrayList<>();
        expected.forEach((source, reason) -> {
            final List<DeadLetterLog.Letter> found = letters.getOrDefault(source, List.of());
            if (found.size() != 1 || !found.getFirst().reason().equals(reason.name())) {
                problems.add(source + ": expected one " + reason + " dead letter, found "
                        + found.stream().map(l -> l.reason() + " (" + l.message() + ")").toList());
            }
        });
        for (final String source : goodSources) {
            if (letters.containsKey(source)) {
                problems.add(source + ": a good record was dead-lettered: " + letters.get(source).getFirst().message());
            }
        }
        assertThat(problems).as("dead letters of the fuzzed stream").isEmpty();
        assertThat(expected).hasSizeGreaterThanOrEqualTo(10_000);

        final FeatureOracle oracle = new FeatureOracle(CATALOG, ClockSkew.DEFAULT_MAX_FUTURE_SKEW).offerAll(published);
        served.assertAsOracle("features of the good records of a fuzzed stream vs the oracle", oracle, 61);
        assertNoStreamThreadReplaced();
    }

    /** A bad record, how the producer stamps it (null: now), and the reason it must be dead-lettered with. */
    private record Bad(byte[] value, Long timestamp, RejectReason reason) {
    }

    private Bad bad(final int kind, final ClickEvent neighbour, final Random random, final int clickEventId,
                    final int withTagsId) {
        final String user = neighbour.getUserId();
        final ClickEvent copy = ClickEvent.newBuilder(neighbour).setEventId("bad-" + UUID.randomUUID()).build();
        return switch (kind) {
            case 0 -> {
                final byte[] bytes = new byte[1 + random.nextInt(200)];
                random.nextBytes(bytes);
                bytes[0] = (byte) (1 + random.nextInt(255));
                yield new Bad(bytes, null, RejectReason.MALFORMED);
            }
            case 1 -> {
                final byte[] whole = serializer.serialize(Topics.EVENTS, copy);
                yield new Bad(Arrays.copyOf(whole, 5 + random.nextInt(whole.length - 5)), null, RejectReason.MALFORMED);
            }
            case 2 -> {
                final byte[] unknown = serializer.serialize(Topics.EVENTS, copy);
                ByteBuffer.wrap(unknown).putInt(1, 1_000_000 + random.nextInt(1_000_000));
                yield new Bad(unknown, null, RejectReason.UNKNOWN_SCHEMA);
            }
            case 3 -> new Bad(switch (random.nextInt(3)) {
                case 0 -> HostileAvro.hugeString(clickEventId, user);
                case 1 -> HostileAvro.hugeMap(clickEventId, user);
                default -> HostileAvro.hugeArray(withTagsId, user);
            }, null, RejectReason.MALFORMED);
            case 4 -> {
                final EventLimits limits = EventLimits.defaults();
                switch (random.nextInt(4)) {
                    case 0 -> copy.setCategory("c".repeat(limits.maxTextChars() + 1));
                    case 1 -> copy.setUserId(user + "u".repeat(limits.maxIdChars() + 1 - user.length()));
                    case 2 -> copy.setPageUrl("p".repeat(limits.maxUrlChars() + 1));
                    default -> {
                        final Map<String, String> properties = new HashMap<>();
                        IntStream.rangeClosed(0, limits.maxPropertyEntries()).forEach(p -> properties.put("p" + p, "v"));
                        copy.setProperties(properties);
                    }
                }
                yield new Bad(serializer.serialize(Topics.EVENTS, copy), null, RejectReason.OVERSIZED);
            }
            case 5 -> new Bad(serializer.serialize(Topics.EVENTS, copy),
                    Instant.now().plus(Duration.ofDays(30)).toEpochMilli(), RejectReason.FUTURE_RECORD_TIME);
            case 6 -> {
                copy.setUserId(null);
                yield new Bad(serializer.serialize(Topics.EVENTS, copy), null, RejectReason.MISSING_USER_ID);
            }
            case 7 -> {
                copy.setItemId("bad\u0007item");
                yield new Bad(serializer.serialize(Topics.EVENTS, copy), null, RejectReason.INVALID_ID);
            }
            default -> {
                copy.setEventTime(Instant.now().plus(Duration.ofHours(1)));
                yield new Bad(serializer.serialize(Topics.EVENTS, copy), null, RejectReason.FUTURE_EVENT_TIME);
            }
        };
    }

    /** Every string this event may carry at its limit (a category only off the user×category path, whose ids the API bounds). */
    private static void atTheLimits(final ClickEvent event, final int i) {
        final EventLimits limits = EventLimits.defaults();
        event.setEventId((event.getEventId() + "e".repeat(limits.maxIdChars())).substring(0, limits.maxIdChars()));
        event.setSearchQuery("q".repeat(limits.maxTextChars()));
        event.setPageUrl("p".repeat(limits.maxUrlChars()));
        final Map<String, String> properties = new HashMap<>();
        for (int p = 0; p < limits.maxPropertyEntries(); p++) {
            properties.put(("k" + p + "-").repeat(limits.maxPropertyKeyChars()).substring(0, limits.maxPropertyKeyChars()),
                    p == 0 ? "v".repeat(limits.maxPropertyValueChars()) : "v");
        }
        event.setProperties(properties);
        if (event.getEventType() != EventType.PRODUCT_VIEW) {
            event.setCategory("c".repeat(limits.maxTextChars()));
        }
        if (i % 200 == 0 && event.getEventType() != EventType.PRODUCT_VIEW) {
            event.setUserId((event.getUserId() + "u".repeat(limits.maxIdChars())).substring(0, limits.maxIdChars()));
        }
    }

    /** What an events topic on a broker older than 3.6, or created by hand, lets through. */
    private static void allowRecordsStampedAnyTimeAhead() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS),
                    List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG,
                            Long.toString(Long.MAX_VALUE)), AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    /** Publishes a view of another user on {@code user}'s partition and waits until it is served. */
    private static void awaitServedOnTheSamePartition(final String user, final String tag) throws Exception {
        final String neighbour = IntStream.range(0, 1000).mapToObj(n -> "neighbour-" + tag + "-" + n)
                .filter(id -> OWNER.of(id) == OWNER.of(user)).findFirst().orElseThrow();
        avro.send(new ProducerRecord<>(Topics.EVENTS, neighbour, event(neighbour, EventType.PAGE_VIEW, Instant.now()).build())).get();
        await().atMost(SERVED_WITHIN).untilAsserted(() ->
                assertThat(api.features("user", neighbour).path("features").path("views_1h").asLong()).isEqualTo(1));
    }

    private static ClickEvent.Builder event(final String user, final EventType type, final Instant time) {
        return ClickEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventType(type).setUserId(user)
                .setEventTime(time).setProperties(Map.of());
    }

    /** The value of a metric at /metrics, summed over its series; fails when the instance has no such metric. */
    private static double metric(final String name) throws Exception {
        final String text = HTTP.send(HttpRequest.newBuilder(URI.create(service.uri() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        final List<String> series = text.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .toList();
        assertThat(series).as("series of %s at /metrics", name).isNotEmpty();
        return series.stream().mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** No stream thread of the instance failed or was replaced. */
    private static void assertNoStreamThreadReplaced() throws Exception {
        assertThat(metric("kafka_stream_metrics_failed_stream_threads")).as("failed stream threads").isZero();
        assertThat(metric("kafka_rollstream_streams_thread_replacements_total")).as("stream threads replaced").isZero();
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
