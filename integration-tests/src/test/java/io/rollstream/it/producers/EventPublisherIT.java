package io.rollstream.it.producers;

import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.it.support.TestKafka;
import io.rollstream.publisher.EventPublisher;
import io.rollstream.publisher.PublishException;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java publisher against a real broker and Apicurio: what it acknowledges any Confluent consumer reads back. */
class EventPublisherIT {

    private static TestKafka kafka;
    private static ApicurioRegistry registry;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        registry = ApicurioRegistry.start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (final AutoCloseable closeable : new AutoCloseable[] {registry, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void shouldPublishTypedEventsThatAPlainConsumerDecodesOnTheirUsersPartition() throws Exception {
        final String prefix = "publisher-" + UUID.randomUUID() + "-";
        final Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        final List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(EventPublisher.event(i % 5 == 0 ? EventType.PURCHASE : EventType.PRODUCT_VIEW)
                    .user(prefix + (i % 7)).item("sku-" + i).price(10 + i).time(time.minusSeconds(i))
                    .property("i", Integer.toString(i)).build());
        }
        final List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        try (EventPublisher publisher = EventPublisher.builder().bootstrapServers(kafka.bootstrapServers())
                .registryUrl(registry.confluentApiUrl()).build()) {
            events.forEach(event -> sent.add(publisher.send(event)));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        final List<EventsTopic.Event> read = EventsTopic.read(kafka.bootstrapServers(), registry.confluentApiUrl(), prefix,
                events.size(), Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(read).extracting(EventsTopic.Event::value).containsExactlyInAnyOrderElementsOf(events);
        final int partitions = EventsTopic.partitions(kafka.bootstrapServers());
        for (int i = 0; i < events.size(); i++) {
            assertThat(sent.get(i).get().partition())
                    .isEqualTo(EventsTopic.ownerPartition(events.get(i).getUserId(), partitions));
        }
    }

    @Test
    void shouldFailWithARetriableKafkaUnavailableWhenNoBrokerAnswers() throws Exception {
        try (EventPublisher publisher = EventPublisher.builder().bootstrapServers("127.0.0.1:" + unusedPort())
                .registryUrl(registry.confluentApiUrl()).producerProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500).build()) {
            final CompletableFuture<RecordMetadata> sent = publisher.send(EventPublisher.event(EventType.CLICK).user("u").build());

            assertThatThrownBy(() -> sent.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(PublishException.class, e -> {
                        assertThat(e.reason()).isEqualTo(PublishException.Reason.KAFKA_UNAVAILABLE);
                        assertThat(e.isRetriable()).isTrue();
                        assertThat(e.getMessage()).contains("not present in metadata after 500 ms");
                    });
        }
    }

    @Test
    void shouldFailWithARetriableRegistryUnavailableWhenTheRegistryDoesNotAnswer() throws Exception {
        try (EventPublisher publisher = EventPublisher.builder().bootstrapServers(kafka.bootstrapServers())
                .registryUrl("http://127.0.0.1:" + unusedPort()).build()) {
            final CompletableFuture<RecordMetadata> sent = publisher.send(EventPublisher.event(EventType.CLICK).user("u").build());

            assertThat(sent).isCompletedExceptionally();
            assertThatThrownBy(sent::get).cause().isInstanceOfSatisfying(PublishException.class, e -> {
                assertThat(e.reason()).isEqualTo(PublishException.Reason.REGISTRY_UNAVAILABLE);
                assertThat(e.isRetriable()).isTrue();
            });
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
