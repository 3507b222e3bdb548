package io.rollstream.bench.serving;

import io.rollstream.generator.ClickstreamModel;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Gives every one of {@code users} users state: {@code eventsPerUser} events each, published to
 * {@code clickstream.events} in rounds (user 1, 2, ..., N, then again), with the content of the
 * {@link ClickstreamModel} (funnel steps, items, categories, prices) and event times spread evenly
 * over the last {@code span}, so that every window from 5 minutes to 30 days has something in it.
 */
final class UserLoad {

    private UserLoad() {
    }

    /** Publishes and waits for every acknowledgement; returns the number of events. */
    static long publish(final String bootstrapServers, final String registryUrl, final int users, final int eventsPerUser,
                        final Duration span, final long seed, final Consumer<String> progress) throws InterruptedException {
        final long total = (long) users * eventsPerUser;
        final ClickstreamModel model = new ClickstreamModel(seed, users, Math.max(100, users / 5));
        final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(
                RestSchemaRegistryClient.builder(registryUrl).build(), SerializerOptions.forValues());
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Instant first = Instant.now().minus(span).minusSeconds(60);
        final double stepMillis = (double) span.toMillis() / total;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, "rollstream-bench-user-load"), new StringSerializer(), new ByteArraySerializer())) {
            long lastReport = System.nanoTime();
            for (long i = 0; i < total && failure.get() == null; i++) {
                final String user = ClickstreamModel.userId((int) (i % users) + 1);
                final ClickEvent event = model.next(first.plusMillis((long) (i * stepMillis)));
                event.setUserId(user);
                producer.send(new ProducerRecord<>(Topics.EVENTS, user, serializer.serialize(Topics.EVENTS, event)),
                        (metadata, error) -> {
                            if (error == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                failure.compareAndSet(null, error);
                            }
                        });
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.accept(String.format("published %,d of %,d events", acknowledged.get(), total));
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("publishing the users' events failed: " + failure.get(), failure.get());
        }
        return acknowledged.get();
    }
}
