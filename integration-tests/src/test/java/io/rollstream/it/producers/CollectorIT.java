package io.rollstream.it.producers;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollstream.collector.CollectorServer;
import io.rollstream.collector.CollectorSettings;
import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.it.support.TestKafka;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import io.rollstream.schemas.contract.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP collector on a real broker and a real Apicurio registry: what it reports accepted is exactly what
 * reaches {@code clickstream.events}, once, in the wire format any Confluent consumer reads.
 */
class CollectorIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofSeconds(2);

    private static TestKafka kafka;
    private static ApicurioRegistry registry;
    private static CollectorServer collector;
    private static CollectorClient client;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        registry = ApicurioRegistry.start();
        collector = CollectorServer.start(CollectorSettings.builder().bootstrapServers(kafka.bootstrapServers())
                .registryUrl(registry.confluentApiUrl()).httpPort(0).build());
        client = new CollectorClient(collector.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        for (final AutoCloseable closeable : new AutoCloseable[] {collector, registry, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void shouldWriteExactlyTheValidEventsOfAMixedBatchOnceInConfluentWireFormat() throws Exception {
        final String prefix = "mixed-" + UUID.randomUUID() + "-";
        final Instant now = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        final String body = "["
                + "{\"event_id\":\"" + prefix + "own-id\",\"event_type\":\"PURCHASE\",\"user_id\":\"" + prefix + "a\","
                + "\"event_time\":\"" + now + "\",\"item_id\":\"sku-1\",\"price\":19.99,\"quantity\":2,"
                + "\"properties\":{\"coupon\":\"WELCOME\"}},"
                + "{\"event_type\":\"PAGE_VIEW\",\"user_id\":\"" + prefix + "b\",\"event_time\":" + now.toEpochMilli() + "},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"" + prefix + "c\",\"event_time\":\"" + now + "\",\"price\":\"cheap\"},"
                + "{\"event_type\":\"TELEPORT\",\"user_id\":\"" + prefix + "d\",\"event_time\":\"" + now + "\"},"
                + "{\"event_type\":\"SEARCH\",\"event_time\":\"" + now + "\",\"search_query\":\"no user\"},"
                + "{\"event_type\":\"SEARCH\",\"user_id\":\"" + prefix + "e\",\"event_time\":\"" + now + "\","
                + "\"search_query\":\"red shoes\"}]";

        final CollectorClient.Answer answer = client.post("application/json", body);

        assertThat(answer.status()).isEqualTo(207);
        assertThat(answer.body().path("accepted").asInt()).isEqualTo(3);
        assertThat(answer.body().path("rejected").asInt()).isEqualTo(3);
        final JsonNode results = answer.body().path("results");
        assertThat(results.get(2).path("field").asText()).isEqualTo("price");
        assertThat(results.get(3).path("field").asText()).isEqualTo("event_type");
        assertThat(results.get(4).path("field").asText()).isEqualTo("user_id");
        final List<String> acceptedIds = new ArrayList<>();
        results.forEach(result -> {
            if (result.path("status").asText().equals("accepted")) {
                acceptedIds.add(result.path("event_id").asText());
            }
        });
        assertThat(acceptedIds).hasSize(3).contains(prefix + "own-id");

        final List<EventsTopic.Event> written = EventsTopic.read(kafka.bootstrapServers(), registry.confluentApiUrl(),
                prefix, 3, QUIET, READ_TIMEOUT);

        assertThat(written).extracting(event -> event.value().getEventId()).containsExactlyInAnyOrderElementsOf(acceptedIds);
        assertThat(written).extracting(EventsTopic.Event::key).containsExactlyInAnyOrder(prefix + "a", prefix + "b", prefix + "e");
        final int schemaId;
        try (SchemaRegistryClient registryClient = RestSchemaRegistryClient.builder(registry.confluentApiUrl()).build()) {
            schemaId = registryClient.latest(Topics.EVENTS + "-value").id();
        }
        final int partitions = EventsTopic.partitions(kafka.bootstrapServers());
        for (final EventsTopic.Event event : written) {
            assertThat(event.raw()[0]).isEqualTo(ConfluentWireFormat.MAGIC_BYTE);
            assertThat(ConfluentWireFormat.schemaId(event.raw())).isEqualTo(schemaId);
            assertThat(event.value().getUserId()).isEqualTo(event.key());
            // The partition the pipeline serves the user from: no re-keying hop needed.
            assertThat(event.partition()).isEqualTo(EventsTopic.ownerPartition(event.key(), partitions));
        }
        final ClickEvent purchase = written.stream().map(EventsTopic.Event::value)
                .filter(event -> event.getEventType() == EventType.PURCHASE).findFirst().orElseThrow();
        assertThat(purchase.getEventTime()).isEqualTo(now);
        assertThat(purchase.getItemId()).isEqualTo("sku-1");
        assertThat(purchase.getPrice()).isEqualTo(19.99);
        assertThat(purchase.getQuantity()).isEqualTo(2);
        assertThat(purchase.getProperties()).isEqualTo(Map.of("coupon", "WELCOME"));
    }

    @Test
    void shouldAcceptNdjsonAndGiveAResentRequestTheSameIds() throws Exception {
        final String prefix = "ndjson-" + UUID.randomUUID() + "-";
        final String now = Instant.now().toString();
        final String body = "{\"event_type\":\"PRODUCT_VIEW\",\"user_id\":\"" + prefix + "a\",\"event_time\":\"" + now
                + "\",\"item_id\":\"sku-7\"}\n"
                + "{\"event_type\":\"ADD_TO_CART\",\"user_id\":\"" + prefix + "a\",\"event_time\":\"" + now
                + "\",\"item_id\":\"sku-7\",\"quantity\":1}\n";

        final CollectorClient.Answer first = client.post("application/x-ndjson", body);
        final CollectorClient.Answer resent = client.post("application/x-ndjson", body);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("accepted").asInt()).isEqualTo(2);
        assertThat(resent.body().path("event_ids")).isEqualTo(first.body().path("event_ids"));
        // At the Kafka level a resend is a second copy; the pipeline counts an id once (CollectorOutageIT).
        final List<EventsTopic.Event> written = EventsTopic.read(kafka.bootstrapServers(), registry.confluentApiUrl(),
                prefix, 4, QUIET, READ_TIMEOUT);
        assertThat(written).hasSize(4);
        assertThat(written).extracting(event -> event.value().getEventId()).containsOnly(
                first.body().path("event_ids").get(0).asText(), first.body().path("event_ids").get(1).asText());
    }

    @Test
    void shouldRefuseBadRequestsWithoutWritingAnything() throws Exception {
        final String prefix = "bad-" + UUID.randomUUID() + "-";
        final String valid = "{\"event_type\":\"CLICK\",\"user_id\":\"" + prefix + "a\",\"event_time\":\"" + Instant.now() + "\"}";

        assertThat(client.post("application/json", valid.substring(0, valid.length() - 1)).status()).isEqualTo(400);
        assertThat(client.post("application/json", "[]").status()).isEqualTo(400);
        assertThat(client.post("text/plain", valid).status()).isEqualTo(415);
        final CollectorClient.Answer tooMany = client.post("application/json",
                "[" + (valid + ",").repeat(CollectorSettings.DEFAULT_MAX_BATCH_EVENTS) + valid + "]");
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.body().path("limit_events").asInt()).isEqualTo(CollectorSettings.DEFAULT_MAX_BATCH_EVENTS);

        assertThat(EventsTopic.read(kafka.bootstrapServers(), registry.confluentApiUrl(), prefix, 0, QUIET, QUIET))
                .isEmpty();
    }
}
