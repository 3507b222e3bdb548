package io.rollstream.it.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.it.support.TestKafka;
import io.rollstream.offline.replay.NdjsonRecords;
import io.rollstream.offline.replay.Position;
import io.rollstream.offline.replay.Replay;
import io.rollstream.offline.replay.ReplayFilter;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.EventValidator;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import io.rollstream.topologies.ingest.RecordJudge;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code rollstream replay} on a real broker and a real Apicurio registry: what was published comes
 * back field by field, each record with the verdict the ingest gives it, dead letters with their
 * headers; it reads within its positions and filters, and joins no consumer group.
 */
class ReplayIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestKafka kafka;
    private static ApicurioRegistry registry;
    private static SchemaRegistryClient registryClient;
    private static KafkaProducer<String, byte[]> producer;
    private static ConfluentAvroSerializer<ClickEvent> serializer;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        registry = ApicurioRegistry.start();
        registryClient = RestSchemaRegistryClient.builder(registry.confluentApiUrl()).build();
        serializer = new ConfluentAvroSerializer<>(registryClient, SerializerOptions.forValues());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        for (final AutoCloseable closeable : new AutoCloseable[] {producer, registryClient, registry, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void shouldReplayEveryRecordFieldByFieldWithTheIngestsVerdictAndJoinNoGroup() throws Exception {
        final String topic = topic(2);
        final List<ClickEvent> events = new ArrayList<>();
        final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 40; i++) {
            final ClickEvent event = ClickEvent.newBuilder().setEventId("e-" + i).setEventType(EventType.PRODUCT_VIEW)
                    .setUserId("user-" + i % 4).setItemId("item-" + i % 7).setCategory("books").setPrice(9.5 + i)
                    .setEventTime(now.minusSeconds(i)).setProperties(Map.of("ab", "b" + i)).build();
            events.add(event);
            producer.send(new ProducerRecord<>(topic, event.getUserId(), serializer.serialize(topic, event))).get();
        }
        producer.send(new ProducerRecord<>(topic, "user-0", "not avro".getBytes(StandardCharsets.UTF_8))).get();
        producer.send(new ProducerRecord<>(topic, "user-1", serializer.serialize(topic, ClickEvent.newBuilder(events.get(1))
                .setEventId("big").setCategory("c".repeat(600)).build()))).get();

        final List<JsonNode> lines = replay(topic, "earliest", "end", ReplayFilter.ALL);

        assertThat(lines).hasSize(42);
        final List<JsonNode> admissible = lines.stream().filter(l -> l.path("verdict").asText().equals("ADMISSIBLE")).toList();
        assertThat(admissible).hasSize(40);
        for (final JsonNode line : admissible) {
            final ClickEvent sent = events.get(Integer.parseInt(line.path("event").path("event_id").asText().substring(2)));
            final JsonNode event = line.path("event");
            assertThat(line.path("key").asText()).isEqualTo(sent.getUserId());
            assertThat(line.path("schema_id").asInt()).isPositive();
            assertThat(event.path("user_id").asText()).isEqualTo(sent.getUserId());
            assertThat(event.path("event_type").asText()).isEqualTo(sent.getEventType().name());
            assertThat(event.path("item_id").asText()).isEqualTo(sent.getItemId());
            assertThat(event.path("price").asDouble()).isEqualTo(sent.getPrice());
            assertThat(Instant.parse(event.path("event_time").asText())).isEqualTo(sent.getEventTime());
            assertThat(event.path("properties").path("ab").asText()).isEqualTo(sent.getProperties().get("ab"));
            assertThat(event.path("session_id").isNull()).isTrue();
        }
        assertThat(lines).filteredOn(l -> l.path("verdict").asText().equals(RejectReason.MALFORMED.name()))
                .singleElement().satisfies(l -> assertThat(l.path("event").isNull()).isTrue());
        assertThat(lines).filteredOn(l -> l.path("verdict").asText().equals(RejectReason.OVERSIZED.name()))
                .singleElement().satisfies(l -> assertThat(l.path("message").asText()).contains("category has 600"));

        try (Admin admin = admin()) {
            assertThat(admin.listGroups().all().get()).as("a replay joins no consumer group").isEmpty();
        }
    }

    @Test
    void shouldReadOnlyBetweenItsPositionsAndThroughItsFilters() throws Exception {
        final String topic = topic(1);
        for (int i = 0; i < 20; i++) {
            final ClickEvent event = ClickEvent.newBuilder().setEventId("p-" + i)
                    .setEventType(i % 2 == 0 ? EventType.CLICK : EventType.SEARCH).setUserId("u-" + i % 3)
                    .setEventTime(Instant.now()).setProperties(Map.of()).build();
            producer.send(new ProducerRecord<>(topic, event.getUserId(), serializer.serialize(topic, event))).get();
        }

        assertThat(replay(topic, "0:5", "0:15", ReplayFilter.ALL)).extracting(l -> l.path("offset").asLong())
                .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        assertThat(replay(topic, "earliest", "end", new ReplayFilter("u-1", EventType.SEARCH, null)))
                .extracting(l -> l.path("event").path("event_id").asText()).containsExactly("p-1", "p-7", "p-13", "p-19");
        assertThat(replay(topic, "1h", "end", ReplayFilter.ALL)).hasSize(20);
        assertThatThrownBy(() -> replay(topic, "0:15", "0:5", ReplayFilter.ALL))
                .hasMessageContaining("--from is after --to on partition 0");
        assertThatThrownBy(() -> replay("no-such-topic-" + UUID.randomUUID(), "earliest", "end", ReplayFilter.ALL))
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldShowADeadLetterWithItsHeadersAndTheEventItStillHolds() throws Exception {
        final String topic = topic(1);
        final ClickEvent event = ClickEvent.newBuilder().setEventId("late-1").setEventType(EventType.CLICK).setUserId("u")
                .setEventTime(Instant.now()).setProperties(Map.of()).build();
        final RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REASON, "LATE_EVENT".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.MESSAGE, "too late".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, "41".getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, null, "u", serializer.serialize(topic, event), headers)).get();

        final JsonNode line = replay(topic, "earliest", "end", new ReplayFilter(null, null, "late_event")).getFirst();

        assertThat(line.path("verdict").asText()).isEqualTo("LATE_EVENT");
        assertThat(line.path("message").asText()).isEqualTo("too late");
        assertThat(line.path("dead_letter").path("source.offset").asText()).isEqualTo("41");
        assertThat(line.path("event").path("event_id").asText()).isEqualTo("late-1");
    }

    private static List<JsonNode> replay(final String topic, final String from, final String to, final ReplayFilter filter)
            throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final RecordJudge judge = new RecordJudge(new ConfluentAvroDeserializer<>(registryClient, ClickEvent.class),
                EventValidator.defaults());
        try (NdjsonRecords records = new NdjsonRecords(out)) {
            new Replay(kafka.bootstrapServers(), Map.of(), judge, Clock.systemUTC(), new PrintStream(progress, true))
                    .run(topic, Position.parse(from, Clock.systemUTC()), Position.parse(to, Clock.systemUTC()), filter, records);
        }
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("replay " + topic).contains("done");
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static String topic(final int partitions) throws Exception {
        final String topic = "replay-it-" + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        return topic;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
