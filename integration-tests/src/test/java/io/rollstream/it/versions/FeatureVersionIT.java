package io.rollstream.it.versions;

import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.FeatureStoreService;
import io.rollstream.it.support.FeatureApi;
import io.rollstream.it.support.TestKafka;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.SchemaRegistryConfig;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A changed feature definition is a new version whose state is rebuilt from the events topic:
 * after the change, the feature covers the events published before it, computed the new way,
 * and nothing of the old definition's state leaks in.
 */
class FeatureVersionIT {

    private static final String V1 = """
            features:
              - name: clicks
                event_types: [CLICK]
                aggregation: count
                windows: [1h]
            """;
    /** Same name, new meaning: clicks and cart adds. */
    private static final String V2 = V1.replace("[CLICK]", "[CLICK, ADD_TO_CART]");

    private static TestKafka kafka;
    private static ApicurioRegistry registry;
    private static KafkaProducer<String, ClickEvent> producer;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        registry = ApicurioRegistry.start();
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(SchemaRegistryConfig.URL_CONFIG, registry.confluentApiUrl());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class.getName());
        producer = new KafkaProducer<>(config);
    }

    @AfterAll
    static void stop() throws Exception {
        for (final AutoCloseable closeable : new AutoCloseable[] {producer, registry, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void shouldRebuildAChangedFeatureFromTheEventsTopicInsteadOfMixingState() throws Exception {
        final String user = "version-user-" + UUID.randomUUID();
        final Instant now = Instant.now();
        send(user, EventType.CLICK, now.minusSeconds(60));
        send(user, EventType.ADD_TO_CART, now.minusSeconds(50));
        send(user, EventType.CLICK, now.minusSeconds(40));
        producer.flush();

        final FeatureCatalog v1 = FeaturesFile.parse(V1, "v1");
        final FeatureCatalog v2 = FeaturesFile.parse(V2, "v2");
        assertThat(v2.fingerprint()).isNotEqualTo(v1.fingerprint());

        try (FeatureStoreService service = FeatureStoreService.start(config("v1"), v1)) {
            final FeatureApi api = new FeatureApi(service.uri());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(api.features("user", user).path("features").path("clicks_1h").asLong()).isEqualTo(2));
            assertThat(service.applicationId()).endsWith(v1.fingerprint());
        }

        // Same application id setting and state directory: only the definition changed.
        try (FeatureStoreService service = FeatureStoreService.start(config("v1"), v2)) {
            final FeatureApi api = new FeatureApi(service.uri());
            assertThat(service.applicationId()).endsWith(v2.fingerprint());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(api.features("user", user).path("features").path("clicks_1h").asLong())
                            .as("rebuilt from the topic with the new definition: 2 clicks + 1 cart add")
                            .isEqualTo(3));
        }
    }

    private static FeatureStoreConfig config(final String name) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(FeatureStoreConfig.REGISTRY_URL, registry.confluentApiUrl());
        settings.put(FeatureStoreConfig.APPLICATION_ID, "version-it");
        settings.put(FeatureStoreConfig.STATE_DIR, stateDir.resolve(name).toString());
        settings.put(FeatureStoreConfig.HTTP_PORT, "0");
        return new FeatureStoreConfig(settings);
    }

    private static void send(final String user, final EventType type, final Instant time) throws Exception {
        producer.send(new ProducerRecord<>(Topics.EVENTS, user, ClickEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setEventType(type).setUserId(user).setEventTime(time).setProperties(Map.of()).build())).get();
    }
}
