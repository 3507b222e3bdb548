package io.rollstream.publisher;

import io.rollstream.publisher.PublishException.Reason;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.registry.RegisteredSchema;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryUnavailableException;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import io.rollstream.schemas.serde.SerializerOptions;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventPublisherTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void shouldFillInARandomIdAndTheCurrentTimeWhenTheEventLeavesThemOut() {
        final ClickEvent event = new EventBuilder(EventType.PURCHASE, Clock.fixed(NOW, ZoneOffset.UTC))
                .user("u-1").item("sku-9").price(19.99).quantity(2).property("coupon", "X").build();

        assertThat(UUID.fromString(event.getEventId())).isNotNull();
        assertThat(event.getEventTime()).isEqualTo(NOW);
        assertThat(event.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(event.getPrice()).isEqualTo(19.99);
        assertThat(event.getProperties()).containsEntry("coupon", "X");
        assertThat(EventPublisher.event(EventType.CLICK).user("u").build().getEventId())
                .isNotEqualTo(EventPublisher.event(EventType.CLICK).user("u").build().getEventId());
    }

    @Test
    void shouldKeepAnIdAndTimeTheCallerChose() {
        final ClickEvent event = EventPublisher.event(EventType.CLICK).user("u-1").id("evt-1")
                .time(NOW.minusSeconds(60)).build();
        assertThat(event.getEventId()).isEqualTo("evt-1");
        assertThat(event.getEventTime()).isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void shouldRefuseAnEventWithoutUserOrOfUnknownType() {
        assertThatThrownBy(() -> EventPublisher.event(EventType.CLICK).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("user id");
        assertThatThrownBy(() -> EventPublisher.event(EventType.UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNKNOWN");
        assertThatThrownBy(() -> EventPublisher.event(EventType.CLICK).user(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user id");
        assertThatThrownBy(() -> EventPublisher.event(EventType.PURCHASE).price(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }

    @Test
    void shouldWriteTheConfluentWireFormatKeyedByUserId() throws Exception {
        final ClickEvent event = EventPublisher.event(EventType.ADD_TO_CART).user("u-7").item("sku-1").build();
        try (EventPublisher publisher = publisher(registry)) {
            final CompletableFuture<RecordMetadata> sent = publisher.send(event);
            assertThat(sent).isNotDone();
            producer.completeNext();
            assertThat(sent.get().topic()).isEqualTo(EventPublisher.DEFAULT_TOPIC);
        }

        final ProducerRecord<String, byte[]> record = producer.history().getFirst();
        assertThat(record.key()).isEqualTo("u-7");
        assertThat(record.value()[0]).isEqualTo(ConfluentWireFormat.MAGIC_BYTE);
        final RegisteredSchema registered = registry.latest(EventPublisher.DEFAULT_TOPIC + "-value");
        assertThat(ConfluentWireFormat.schemaId(record.value())).isEqualTo(registered.id());
        try (ConfluentAvroDeserializer<ClickEvent> deserializer = new ConfluentAvroDeserializer<>(registry, ClickEvent.class)) {
            assertThat(deserializer.deserialize(EventPublisher.DEFAULT_TOPIC, record.value())).isEqualTo(event);
        }
    }

    @Test
    void shouldReportAnUnacknowledgedEventAsRetriableKafkaUnavailability() {
        try (EventPublisher publisher = publisher(registry)) {
            final CompletableFuture<RecordMetadata> sent = publisher.send(click("u-1"));
            producer.errorNext(new TimeoutException("Expiring 1 record(s) for clickstream.events-0"));

            final PublishException failure = failure(sent);
            assertThat(failure.reason()).isEqualTo(Reason.KAFKA_UNAVAILABLE);
            assertThat(failure.isRetriable()).isTrue();
            assertThat(failure.getMessage()).contains("u-1").contains("Expiring 1 record").contains("Retry later");
        }
    }

    @Test
    void shouldBlameTheEventWhenKafkaSaysItIsTooLargeAndTheSetupWhenKafkaRefusesAccess() {
        try (EventPublisher publisher = publisher(registry)) {
            final CompletableFuture<RecordMetadata> tooLarge = publisher.send(click("u-1"));
            producer.errorNext(new RecordTooLargeException("The message is 2000000 bytes"));
            final CompletableFuture<RecordMetadata> forbidden = publisher.send(click("u-2"));
            producer.errorNext(new TopicAuthorizationException(Set.of(EventPublisher.DEFAULT_TOPIC)));

            assertThat(failure(tooLarge).reason()).isEqualTo(Reason.INVALID_EVENT);
            assertThat(failure(forbidden).reason()).isEqualTo(Reason.KAFKA_REJECTED);
            assertThat(failure(forbidden).isRetriable()).isFalse();
            assertThat(failure(forbidden).getMessage()).contains("ACLs");
        }
    }

    @Test
    void shouldReportARegistryOutageAsRetriableWithoutSendingAnything() {
        try (EventPublisher publisher = publisher(new UnavailableRegistry())) {
            final PublishException failure = failure(publisher.send(click("u-1")));
            assertThat(failure.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE);
            assertThat(failure.isRetriable()).isTrue();
            assertThat(failure.getMessage()).contains("schema registry did not answer").contains("connection refused");
        }
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldReportAnUnregisteredSchemaAsRejectedWhenAutoRegistrationIsOff() {
        final EventPublisher publisher = new EventPublisher(producer, new ConfluentAvroSerializer<>(registry,
                SerializerOptions.forValues().withAutoRegisterSchemas(false)), null, EventPublisher.DEFAULT_TOPIC, "test");
        try (publisher) {
            final PublishException failure = failure(publisher.send(click("u-1")));
            assertThat(failure.reason()).isEqualTo(Reason.SCHEMA_REJECTED);
            assertThat(failure.getMessage()).contains("clickstream.events-value");
        }
    }

    @Test
    void shouldFailAnEventWithoutUserIdAsInvalid() {
        final ClickEvent noUser = click("u-1");
        noUser.setUserId(null);
        try (EventPublisher publisher = publisher(registry)) {
            assertThat(failure(publisher.send(noUser)).reason()).isEqualTo(Reason.INVALID_EVENT);
        }
    }

    @Test
    void shouldRefuseAnEventPastTheContractsLimitsNamingTheFieldAndSendNothing() {
        final ClickEvent huge = EventPublisher.event(EventType.PRODUCT_VIEW).user("u-1").item("i-1")
                .category("c".repeat(600_000)).time(NOW).build();
        try (EventPublisher publisher = publisher(registry)) {
            final PublishException failure = failure(publisher.send(huge));
            assertThat(failure.reason()).isEqualTo(Reason.INVALID_EVENT);
            assertThat(failure.getMessage()).contains("OVERSIZED, field category")
                    .contains("category has 600000 characters, over the limit of 512 (rollstream.events.max-text-chars)");
        }
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldFailSendsAfterCloseAsClosed() {
        final EventPublisher publisher = publisher(registry);
        publisher.close();
        final PublishException failure = failure(publisher.send(click("u-1")));
        assertThat(failure.reason()).isEqualTo(Reason.CLOSED);
        assertThat(failure.isRetriable()).isFalse();
    }

    @Test
    void shouldRefuseToWeakenDurabilityOrChangeTheSerializers() {
        for (final String fixed : List.of(ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
            assertThatThrownBy(() -> EventPublisher.builder().producerProperty(fixed, "1"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(fixed);
        }
        assertThatThrownBy(() -> EventPublisher.builder().registryUrl("http://localhost:8081").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> EventPublisher.builder().bootstrapServers("localhost:9092").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("registryUrl");
    }

    @Test
    void shouldBuildAnIdempotentAcksAllProducerFromTheBuilder() {
        // Nothing is contacted until the first send, so building against unused addresses must work.
        try (EventPublisher publisher = EventPublisher.builder().bootstrapServers("127.0.0.1:1")
                .registryUrl("mock://publisher-test").producerProperties(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20))
                .build()) {
            assertThat(publisher.target()).isEqualTo("127.0.0.1:1/" + EventPublisher.DEFAULT_TOPIC);
        }
    }

    private EventPublisher publisher(final SchemaRegistryClient client) {
        return new EventPublisher(producer, new ConfluentAvroSerializer<>(client, SerializerOptions.forValues()), null,
                EventPublisher.DEFAULT_TOPIC, "test");
    }

    private static ClickEvent click(final String user) {
        return EventPublisher.event(EventType.CLICK).user(user).time(NOW).build();
    }

    private static PublishException failure(final CompletableFuture<RecordMetadata> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.get();
            throw new AssertionError("expected a failure");
        } catch (final ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PublishException.class);
            return (PublishException) e.getCause();
        } catch (final InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A registry that never answers, as when its host is down. */
    private static final class UnavailableRegistry implements SchemaRegistryClient {
        private static SchemaRegistryUnavailableException down() {
            return new SchemaRegistryUnavailableException("http://registry:8081: connection refused", -1, -1, null);
        }

        @Override
        public int register(final String subject, final Schema schema) {
            throw down();
        }

        @Override
        public Schema schemaById(final int id) {
            throw down();
        }

        @Override
        public RegisteredSchema latest(final String subject) {
            throw down();
        }

        @Override
        public RegisteredSchema lookup(final String subject, final Schema schema) {
            throw down();
        }

        @Override
        public boolean isCompatible(final String subject, final Schema schema) {
            throw down();
        }

        @Override
        public io.rollstream.schemas.registry.CompatibilityLevel compatibility(final String subject) {
            throw down();
        }

        @Override
        public void setCompatibility(final String subject, final io.rollstream.schemas.registry.CompatibilityLevel level) {
            throw down();
        }

        @Override
        public List<String> subjects() {
            throw down();
        }

        @Override
        public void close() {
        }
    }
}
