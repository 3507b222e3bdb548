package io.rollstream.it.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.engine.Window;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.FeatureStoreService;
import io.rollstream.featurestore.routing.PeerClient;
import io.rollstream.it.support.TestKafka;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.SchemaRegistryConfig;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.topologies.RollstreamTopology;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.topologies.features.EntityPartitioner;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three feature-store instances of one application on a real broker, each with its own state
 * directory and HTTP port: every instance answers every key (forwarding to the owner), batches agree
 * with single reads, standbys answer flagged stale, and while an instance is killed or added a load
 * of queries sees only correct answers or 503s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {

    private static final Logger LOG = LoggerFactory.getLogger(MultiInstanceIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Kill and join: the group notices a dead member after the session timeout, then rebalances. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);
    private static final int PARTITIONS = 6;
    private static final int USERS = 120;
    private static final FeatureSet FEATURES = UserActivityFeatures.featureSet();
    private static final String STORE = RollstreamTopology.storeName(FEATURES);
    private static final List<EventType> TYPES = List.of(EventType.PAGE_VIEW, EventType.PRODUCT_VIEW, EventType.CLICK,
            EventType.ADD_TO_CART, EventType.REMOVE_FROM_CART, EventType.PURCHASE, EventType.SEARCH);

    private static TestKafka kafka;
    private static ApicurioRegistry registry;
    private static final String APPLICATION_ID = "multi-instance-it-" + UUID.randomUUID();
    private static final List<FeatureStoreService> instances = new CopyOnWriteArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> users = new ArrayList<>();
    /** Per user: the exact feature values every correct answer carries. */
    private static final Map<String, Map<String, Long>> expected = new HashMap<>();
    private static final Map<String, Long> newestEventTime = new HashMap<>();
    private static int started;

    @TempDir
    static Path stateRoot;

    @BeforeAll
    static void startThreeInstancesAndPublish() throws Exception {
        kafka = TestKafka.start();
        registry = ApicurioRegistry.start();
        for (int i = 0; i < 3; i++) {
            startInstance();
        }
        // Publish only once all three share the partitions, so every standby holds the data before a kill.
        await().atMost(WAIT).until(() -> instances.stream().allMatch(instance ->
                instance.isReady() && instance.streams().metadataForAllStreamsClients().size() == 3));
        publishEvents();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> everyKeyCorrectOn(instances, true));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (final FeatureStoreService instance : instances) {
            instance.close();
        }
        for (final AutoCloseable closeable : new AutoCloseable[] {registry, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    @Order(1)
    void shouldAnswerEveryKeyFromEveryInstanceWithTheValuesTheOwnerServes() throws Exception {
        for (final String user : users) {
            final HostInfo owner = owners(user).activeHost();
            final JsonNode fromOwner = withoutAsOf(get(uriOf(owner), user, false));
            assertThat(fromOwner.path("served_by").asText()).isEqualTo(owner.host() + ":" + owner.port());
            assertThat(problem(fromOwner, user)).as(user).isNull();
            for (final FeatureStoreService instance : instances) {
                final JsonNode answer = get(instance.uri(), user, false);
                assertThat(withoutAsOf(answer)).as(user + " from " + instance.uri()).isEqualTo(fromOwner);
                assertThat(answer.path("stale").asBoolean()).isFalse();
                assertThat(answer.path("lag_records").asLong()).isZero();
            }
        }
    }

    @Test
    @Order(2)
    void shouldAnswerABatchWithTheResultsOfSingleReadsInTheCallersOrder() throws Exception {
        final List<String> ids = new ArrayList<>(users);
        Collections.shuffle(ids, new Random(7));
        ids.addAll(ids.subList(0, 10));
        for (final FeatureStoreService instance : instances) {
            final JsonNode batch = postBatch(instance.uri(), ids);
            assertThat(batch.path("entity").asText()).isEqualTo("user");
            final JsonNode results = batch.path("results");
            assertThat(results).hasSize(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                final ObjectNode single = withoutAsOf(get(instance.uri(), ids.get(i), false));
                single.remove("entity");
                assertThat(results.get(i)).as(ids.get(i) + " in the batch from " + instance.uri()).isEqualTo(single);
            }
        }
    }

    @Test
    @Order(3)
    void shouldAnswerAForwardedRequestFromTheActiveOrAStandbyAndNeverForwardItAgain() throws Exception {
        final String user = users.get(0);
        final KeyQueryMetadata owners = owners(user);
        assertThat(owners.standbyHosts()).as("one standby per partition").hasSize(1);
        final HostInfo standby = owners.standbyHosts().iterator().next();
        final URI neither = instances.stream().map(FeatureStoreService::uri)
                .filter(uri -> uri.getPort() != owners.activeHost().port() && uri.getPort() != standby.port())
                .findFirst().orElseThrow();

        final JsonNode fromActive = get(uriOf(owners.activeHost()), user, true);
        assertThat(fromActive.path("stale").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            final HttpResponse<String> fromStandby = send(uriOf(standby), user, true);
            assertThat(fromStandby.statusCode()).isEqualTo(200);
            final JsonNode answer = JSON.readTree(fromStandby.body());
            assertThat(answer.path("stale").asBoolean()).isTrue();
            assertThat(answer.path("served_by").asText()).isEqualTo(standby.host() + ":" + standby.port());
            assertThat(answer.path("lag_records").asLong()).isBetween(0L, 10_000L);
            assertThat(problem(answer, user)).isNull();
        });
        final HttpResponse<String> fromNeither = send(neither, user, true);
        assertThat(fromNeither.statusCode()).isEqualTo(503);
        assertThat(fromNeither.headers().firstValue("Retry-After")).isPresent();
        assertThat(fromNeither.body()).contains("forwarded requests are answered here or not at all");
    }

    @Test
    @Order(4)
    void shouldAnswerOnlyCorrectlyOr503WhileAnInstanceIsKilledAndEveryKeyFromTheOthersSoonAfter() throws Exception {
        final FeatureStoreService victim = instances.get(0);
        final List<FeatureStoreService> survivors = List.copyOf(instances.subList(1, instances.size()));
        try (Load load = Load.start(survivors)) {
            load.awaitAnswers(200);
            final long killedAt = System.nanoTime();
            instances.remove(victim);
            victim.close();
            await().atMost(RECOVERY_BOUND).pollInterval(Duration.ofMillis(100)).until(() -> everyKeyCorrectOn(survivors, false));
            final Duration answering = Duration.ofNanos(System.nanoTime() - killedAt);
            await().atMost(RECOVERY_BOUND).pollInterval(Duration.ofMillis(250)).until(() -> everyKeyCorrectOn(survivors, true));
            final Duration fresh = Duration.ofNanos(System.nanoTime() - killedAt);
            load.awaitAnswers(200);
            load.stop();
            LOG.info("Kill: every key answered by the survivors {} ms after the kill, fresh everywhere after {} ms; load: {}",
                    answering.toMillis(), fresh.toMillis(), load);
            load.assertOnlyCorrectOrUnavailable();
        }
    }

    @Test
    @Order(5)
    void shouldAnswerOnlyCorrectlyOr503WhileAnInstanceJoinsAndEveryKeyFromItSoonAfter() throws Exception {
        try (Load load = Load.start(instances)) {
            load.awaitAnswers(200);
            final long joinedAt = System.nanoTime();
            final FeatureStoreService newcomer = startInstance();
            load.target(newcomer);
            await().atMost(RECOVERY_BOUND).pollInterval(Duration.ofMillis(250)).until(() -> everyKeyCorrectOn(instances, true));
            final Duration answering = Duration.ofNanos(System.nanoTime() - joinedAt);
            load.awaitAnswers(200);
            load.stop();
            LOG.info("Join: every key answered fresh by all {} instances {} ms after the new one started; load: {}",
                    instances.size(), answering.toMillis(), load);
            load.assertOnlyCorrectOrUnavailable();
            assertThat(load.answeredBy(newcomer)).as("the newcomer answered queries").isPositive();
        }
    }

    private static FeatureStoreService startInstance() throws IOException {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(FeatureStoreConfig.REGISTRY_URL, registry.confluentApiUrl());
        settings.put(FeatureStoreConfig.APPLICATION_ID, APPLICATION_ID);
        settings.put(FeatureStoreConfig.STATE_DIR, stateRoot.resolve("instance-" + started++).toString());
        settings.put(FeatureStoreConfig.HTTP_PORT, "0");
        settings.put(FeatureStoreConfig.TOPIC_PARTITIONS, Integer.toString(PARTITIONS));
        settings.put(FeatureStoreConfig.STREAM_THREADS, "1");
        // A killed member is noticed after the session timeout: the broker's minimum instead of 45 s.
        settings.put(FeatureStoreConfig.KAFKA_PREFIX + "session.timeout.ms", "6000");
        settings.put(FeatureStoreConfig.KAFKA_PREFIX + "heartbeat.interval.ms", "1000");
        final FeatureStoreService instance = FeatureStoreService.start(new FeatureStoreConfig(settings),
                FeatureCatalog.of(List.of(FEATURES)));
        instances.add(instance);
        return instance;
    }

    private static void publishEvents() throws Exception {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class.getName());
        config.put(SchemaRegistryConfig.URL_CONFIG, registry.confluentApiUrl());
        final Random random = new Random(42);
        final Instant now = Instant.now();
        try (KafkaProducer<String, ClickEvent> producer = new KafkaProducer<>(config)) {
            for (int u = 0; u < USERS; u++) {
                final String user = "mi-user-" + u;
                users.add(user);
                final Map<String, Long> counts = new LinkedHashMap<>();
                long newest = Long.MIN_VALUE;
                for (int e = 0, events = 1 + random.nextInt(12); e < events; e++) {
                    final EventType type = TYPES.get(random.nextInt(TYPES.size()));
                    // Within the last 20 minutes: inside both windows for as long as the test runs.
                    final Instant time = now.minusSeconds(60 + random.nextInt(1_140));
                    producer.send(new ProducerRecord<>(Topics.EVENTS, user, ClickEvent.newBuilder()
                            .setEventId(UUID.randomUUID().toString()).setEventType(type).setUserId(user)
                            .setEventTime(time).build()));
                    for (final Duration window : UserActivityFeatures.WINDOWS) {
                        counts.merge(UserActivityFeatures.countName(type, Window.of(window)), 1L, Long::sum);
                    }
                    newest = Math.max(newest, time.toEpochMilli());
                }
                expected.put(user, counts);
                newestEventTime.put(user, newest);
            }
            producer.flush();
        }
    }

    /** Why a result (single or batch) is not the exact answer for {@code user}; null when it is. */
    private static String problem(final JsonNode result, final String user) {
        if (!user.equals(result.path("id").asText())) {
            return "id " + result.path("id") + " instead of " + user;
        }
        if (!result.path("found").asBoolean()) {
            return user + " not found";
        }
        final long newest = newestEventTime.get(user);
        if (!Instant.ofEpochMilli(newest).toString().equals(result.path("newest_event_time").asText())
                || result.path("features").path("last_event_time").asLong() != newest) {
            return user + ": newest event time " + result.path("newest_event_time") + " instead of " + Instant.ofEpochMilli(newest);
        }
        for (final FeatureDefinition feature : FEATURES.features()) {
            final long actual = result.path("features").path(feature.name()).asLong(-1);
            final long want = expected.get(user).getOrDefault(feature.name(), 0L);
            if (actual != want) {
                return user + ": " + feature.name() + " = " + actual + " instead of " + want;
            }
        }
        return null;
    }

    /** Whether every instance answers every key exactly right (and, if asked, from a running active). */
    private static boolean everyKeyCorrectOn(final List<FeatureStoreService> targets, final boolean fresh) {
        for (final FeatureStoreService instance : targets) {
            final JsonNode batch;
            try {
                final HttpResponse<String> response = sendBatch(instance.uri(), users);
                if (response.statusCode() != 200) {
                    return false;
                }
                batch = JSON.readTree(response.body());
            } catch (final IOException e) {
                return false;
            }
            for (int i = 0; i < users.size(); i++) {
                final JsonNode result = batch.path("results").path(i);
                if (problem(result, users.get(i)) != null || (fresh && result.path("stale").asBoolean())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static KeyQueryMetadata owners(final String user) {
        final KeyQueryMetadata owners = instances.get(0).streams().queryMetadataForKey(STORE, user, new EntityPartitioner());
        assertThat(owners).isNotEqualTo(KeyQueryMetadata.NOT_AVAILABLE);
        return owners;
    }

    private static URI uriOf(final HostInfo host) {
        return URI.create("http://" + host.host() + ":" + host.port());
    }

    private static ObjectNode withoutAsOf(final JsonNode answer) {
        final ObjectNode copy = answer.deepCopy();
        copy.remove("as_of");
        return copy;
    }

    private static JsonNode get(final URI base, final String user, final boolean forwarded) throws Exception {
        final HttpResponse<String> response = send(base, user, forwarded);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(final URI base, final String user, final boolean forwarded)
            throws IOException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/features/user/" + user))
                .timeout(Duration.ofSeconds(5)).GET();
        if (forwarded) {
            request.header(PeerClient.FORWARDED_HEADER, "true");
        }
        return exchange(request.build());
    }

    private static JsonNode postBatch(final URI base, final List<String> ids) throws Exception {
        final HttpResponse<String> response = sendBatch(base, ids);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> sendBatch(final URI base, final List<String> ids) throws IOException {
        return exchange(HttpRequest.newBuilder(base.resolve("/v1/features/user:batch"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().set("ids", JSON.valueToTree(ids)).toString()))
                .build());
    }

    private static HttpResponse<String> exchange(final HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * Queries from a few threads against the live instances, single reads and batches of 8, each
     * answer sorted: correct (fresh or stale), 503, or a problem (a wrong value, another status, no
     * answer at all).
     */
    private static final class Load implements AutoCloseable {
        private final List<FeatureStoreService> targets;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong correct = new AtomicLong();
        private final AtomicLong stale = new AtomicLong();
        private final AtomicLong unavailable = new AtomicLong();
        private final Map<URI, AtomicLong> byInstance = new java.util.concurrent.ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

        private Load(final List<FeatureStoreService> targets) {
            this.targets = new CopyOnWriteArrayList<>(targets);
        }

        static Load start(final List<FeatureStoreService> targets) {
            final Load load = new Load(targets);
            for (int i = 0; i < 4; i++) {
                load.threads.add(Thread.ofVirtual().name("load-" + i).start(load::run));
            }
            return load;
        }

        void target(final FeatureStoreService instance) {
            targets.add(instance);
        }

        private void run() {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            while (running.get()) {
                final FeatureStoreService target = targets.get(random.nextInt(targets.size()));
                final List<String> ids = new ArrayList<>();
                for (int i = random.nextBoolean() ? 1 : 8; i > 0; i--) {
                    ids.add(users.get(random.nextInt(users.size())));
                }
                try {
                    final HttpResponse<String> response = ids.size() == 1 ? send(target.uri(), ids.get(0), false)
                            : sendBatch(target.uri(), ids);
                    if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
                        unavailable.incrementAndGet();
                        continue;
                    }
                    if (response.statusCode() != 200) {
                        problems.add(target.uri() + " answered " + response.statusCode() + ": " + response.body());
                        continue;
                    }
                    final JsonNode body = JSON.readTree(response.body());
                    final List<JsonNode> results = new ArrayList<>();
                    if (ids.size() == 1) {
                        results.add(body);
                    } else {
                        body.path("results").forEach(results::add);
                    }
                    if (results.size() != ids.size()) {
                        problems.add(target.uri() + " answered " + results.size() + " results for " + ids.size() + " ids");
                        continue;
                    }
                    for (int i = 0; i < ids.size(); i++) {
                        final String problem = problem(results.get(i), ids.get(i));
                        if (problem != null) {
                            problems.add(target.uri() + " answered wrongly: " + problem + " in " + results.get(i));
                        } else {
                            correct.incrementAndGet();
                            if (results.get(i).path("stale").asBoolean()) {
                                stale.incrementAndGet();
                            }
                        }
                    }
                    byInstance.computeIfAbsent(target.uri(), uri -> new AtomicLong()).incrementAndGet();
                } catch (final IOException e) {
                    problems.add(target.uri() + " gave no answer: " + e);
                }
            }
        }

        void awaitAnswers(final long more) {
            final long goal = correct.get() + more;
            await().atMost(WAIT).until(() -> correct.get() >= goal || !problems.isEmpty());
        }

        long answeredBy(final FeatureStoreService instance) {
            return byInstance.getOrDefault(instance.uri(), new AtomicLong()).get();
        }

        void assertOnlyCorrectOrUnavailable() {
            assertThat(problems).as("wrong values, other statuses or no answer").isEmpty();
            assertThat(correct.get()).isPositive();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (final Thread thread : threads) {
                thread.join();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        @Override
        public String toString() {
            return correct + " correct answers (" + stale + " of them stale), " + unavailable + " 503s, "
                    + problems.size() + " problems";
        }
    }
}
