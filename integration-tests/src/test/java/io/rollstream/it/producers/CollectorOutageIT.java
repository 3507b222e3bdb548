package io.rollstream.it.producers;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollstream.collector.CollectorServer;
import io.rollstream.collector.CollectorSettings;
import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.devstack.EmbeddedKafka;
import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.FeatureStoreService;
import io.rollstream.it.support.FeatureApi;
import io.rollstream.schemas.contract.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client of the collector sees while Kafka is away, on a real broker of this test's own: 503 with
 * Retry-After — never a 200 for an event that was not written — and, once Kafka is back, its retries
 * accepted by the same collector with the same event ids, so the features count every event once even
 * though the topic holds copies.
 *
 * <p>The broker is reached through a {@link TcpForwarder}, a fixed bootstrap address as a DNS name would
 * be: the test starts with nothing behind it (Kafka unreachable from the start), then a broker, then stops
 * that broker and starts another from the same data directory, on another port, behind the same address.
 */
class CollectorOutageIT {

    private static final Duration RECOVERY = Duration.ofSeconds(90);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration MAX_BLOCK = Duration.ofSeconds(1);

    @TempDir
    Path kafkaData;
    @TempDir
    Path stateDir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() {
        for (final AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (final Exception e) {
                System.err.println("CollectorOutageIT: closing " + resource + " failed: " + e);
            }
        }
    }

    @Test
    void shouldAnswer503WhileKafkaIsAwayAndAcceptTheRetriesOnceItIsBackCountingEachEventOnce() throws Exception {
        final ApicurioRegistry registry = open(ApicurioRegistry.start());
        final TcpForwarder bootstrap = open(new TcpForwarder());
        final CollectorServer collector = open(CollectorServer.start(CollectorSettings.builder()
                .bootstrapServers(bootstrap.address()).registryUrl(registry.confluentApiUrl()).httpPort(0)
                .deliveryTimeout(DELIVERY_TIMEOUT).maxBlock(MAX_BLOCK).retryAfter(Duration.ofSeconds(1)).build()));
        final CollectorClient client = new CollectorClient(collector.uri());
        final String user = "outage-" + UUID.randomUUID();
        final Instant now = Instant.now();
        // No event ids: the collector derives them from the content, so a blind resend keeps them.
        final String batchA = "[" + event("PAGE_VIEW", user, now.minusSeconds(300)) + ","
                + event("PAGE_VIEW", user, now.minusSeconds(200)) + "," + event("CLICK", user, now.minusSeconds(100)) + "]";
        final String batchB = "[" + event("PAGE_VIEW", user, now.minusSeconds(50)) + ","
                + event("PURCHASE", user, now.minusSeconds(40)) + "]";

        // 1. Nothing listens behind the bootstrap address: refused within the producer's max block, not hung.
        final long start = System.nanoTime();
        final CollectorClient.Answer unreachable = client.post("application/json", batchA);
        assertThat(unreachable.status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(MAX_BLOCK.plusSeconds(3));
        assertThat(unreachable.retryAfterSeconds()).isEqualTo(1);
        assertThat(unreachable.body().path("error").asText()).contains("Kafka did not acknowledge");
        final JsonNode idsA = unreachable.body().path("event_ids");
        assertThat(idsA).hasSize(3);

        // 2. A broker comes up behind the address: the same collector accepts the client's retry, same ids.
        final Path dataDir = kafkaData.resolve("broker");
        EmbeddedKafka broker = EmbeddedKafka.start(dataDir);
        broker.createTopics(3, Topics.EVENTS);
        bootstrap.forwardTo(broker.bootstrapServers());
        final CollectorClient.Answer acceptedA = client.postRetrying("application/json", batchA, RECOVERY);
        assertThat(acceptedA.status()).isEqualTo(200);
        assertThat(acceptedA.body().path("event_ids")).isEqualTo(idsA);

        // 3. The broker stops: a new batch is refused, after at most the delivery timeout.
        broker.close();
        final CollectorClient.Answer brokerDown = client.post("application/json", batchB);
        assertThat(brokerDown.status()).isEqualTo(503);
        final JsonNode idsB = brokerDown.body().path("event_ids");
        assertThat(idsB).hasSize(2);

        // 4. It comes back from its data, on another port behind the same address: the retry is accepted, and
        //    the client, unsure whether batch A's 200 reached it, resends that too.
        broker = open(EmbeddedKafka.start(dataDir));
        bootstrap.forwardTo(broker.bootstrapServers());
        final CollectorClient.Answer acceptedB = client.postRetrying("application/json", batchB, RECOVERY);
        assertThat(acceptedB.status()).isEqualTo(200);
        assertThat(acceptedB.body().path("event_ids")).isEqualTo(idsB);
        final CollectorClient.Answer resentA = client.postRetrying("application/json", batchA, RECOVERY);
        assertThat(resentA.body().path("event_ids")).isEqualTo(idsA);

        // The topic holds copies; the features count each of the five events once.
        final List<EventsTopic.Event> records = EventsTopic.read(broker.bootstrapServers(), registry.confluentApiUrl(),
                user, 8, Duration.ofSeconds(2), RECOVERY);
        final Set<String> distinct = new HashSet<>();
        records.forEach(record -> distinct.add(record.value().getEventId()));
        assertThat(distinct).hasSize(5);
        assertThat(records.size()).isGreaterThanOrEqualTo(8);

        final FeatureApi api = new FeatureApi(open(featureStore(broker, registry)).uri());
        await().atMost(RECOVERY).untilAsserted(() -> {
            final JsonNode features = api.features("user", user).path("features");
            assertThat(features.path("page_view_count_1h").asLong()).isEqualTo(3);
            assertThat(features.path("click_count_1h").asLong()).isEqualTo(1);
            assertThat(features.path("purchase_count_1h").asLong()).isEqualTo(1);
        });
    }

    private FeatureStoreService featureStore(final EmbeddedKafka broker, final ApicurioRegistry registry) throws Exception {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        settings.put(FeatureStoreConfig.REGISTRY_URL, registry.confluentApiUrl());
        settings.put(FeatureStoreConfig.APPLICATION_ID, "outage-it-" + UUID.randomUUID());
        settings.put(FeatureStoreConfig.STATE_DIR, stateDir.toString());
        settings.put(FeatureStoreConfig.HTTP_PORT, "0");
        return FeatureStoreService.start(new FeatureStoreConfig(settings),
                FeatureCatalog.of(List.of(UserActivityFeatures.featureSet())));
    }

    private static String event(final String type, final String user, final Instant time) {
        return "{\"event_type\":\"" + type + "\",\"user_id\":\"" + user + "\",\"event_time\":\"" + time + "\"}";
    }

    private <T extends AutoCloseable> T open(final T resource) {
        resources.add(resource);
        return resource;
    }
}
