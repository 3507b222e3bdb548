package io.rollstream.bench;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark's input, generated and encoded once and published once to the events topic,
 * where every variant reads the very same bytes: the clickstream model's Zipf users and funnels,
 * Confluent-wire Avro values, the user id as key (so the Java producer's partitioner puts each
 * event on its owner partition, as the contract asks), the arrival time as record timestamp.
 *
 * @param decodeSample the first encoded values, kept to time Avro decoding on its own
 */
record PublishedEvents(long count, long valueBytes, List<byte[]> decodeSample) {

    static final int DECODE_SAMPLE_SIZE = 100_000;

    double averageValueBytes() {
        return (double) valueBytes / count;
    }

    static PublishedEvents publish(final String bootstrapServers, final EngineBenchmarkOptions options,
                                   final SchemaRegistryClient registry, final Instant end, final Progress progress) {
        final GeneratedInput.Generation input = options.input().from(end);
        final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues());
        final List<byte[]> sample = new ArrayList<>();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<Exception> firstError = new AtomicReference<>();
        long bytes = 0;
        long lastReport = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                // Bulk loading: large batches keep the load short; nothing measured depends on them.
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, "rollstream-bench-loader"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < options.events(); i++) {
                final GeneratedInput.Arrival arrival = input.next();
                final ClickEvent event = arrival.event();
                final byte[] value = serializer.serialize(Topics.EVENTS, event);
                bytes += value.length;
                if (sample.size() < DECODE_SAMPLE_SIZE) {
                    sample.add(value);
                }
                producer.send(new ProducerRecord<>(Topics.EVENTS, null, arrival.arrivalMs(), event.getUserId(), value),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                                firstError.compareAndSet(null, error);
                            }
                        });
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.say("publishing input: %,d / %,d events", i + 1, options.events());
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + options.events() + " events could not be published to "
                    + Topics.EVENTS + " on the embedded broker (first error: " + firstError.get()
                    + "); the broker may be out of disk space in the temporary directory.", firstError.get());
        }
        return new PublishedEvents(options.events(), bytes, List.copyOf(sample));
    }
}
