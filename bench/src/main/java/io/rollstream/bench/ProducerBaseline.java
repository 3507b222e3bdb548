package io.rollstream.bench;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The yardstick: the same events written by a plain {@link KafkaProducer} with the Confluent-wire Avro
 * serializer and the collector's own producer settings (idempotent, {@code acks=all}, linger 5 ms, 64 KiB
 * batches), from one thread as fast as it accepts them, until every one is acknowledged.
 */
final class ProducerBaseline {

    private final String bootstrapServers;
    private final SchemaRegistryClient registry;

    ProducerBaseline(final String bootstrapServers, final SchemaRegistryClient registry) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    /**
     * Sends every event and returns once all are acknowledged: the nanoseconds from the first send to the last
     * acknowledgement (creating and closing the producer not included). Fails if any event was not acknowledged.
     */
    long send(final String topic, final List<ClickEvent> events) {
        final long elapsed;
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, ClickEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024),
                new StringSerializer(), new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues()))) {
            final long start = System.nanoTime();
            for (final ClickEvent event : events) {
                producer.send(new ProducerRecord<>(topic, event.getUserId(), event), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
            elapsed = System.nanoTime() - start;
        }
        if (failure.get() != null || acknowledged.get() != events.size()) {
            throw new IllegalStateException("The baseline producer got " + acknowledged.get() + " of " + events.size()
                    + " events acknowledged: " + failure.get(), failure.get());
        }
        return elapsed;
    }
}
