package io.rollstream.it.producers;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.SchemaRegistryConfig;
import io.rollstream.schemas.serde.AvroSerdeConfig;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Reads {@code clickstream.events} as any consumer of the contract would: a plain {@link KafkaConsumer} with
 * string keys and raw values, decoded by a {@link ConfluentAvroDeserializer} that Kafka-style configuration
 * created (registry URL and generated class only).
 */
final class EventsTopic {

    /** One record: its key, partition, raw bytes and decoded event. */
    record Event(String key, int partition, byte[] raw, ClickEvent value) {
    }

    private EventsTopic() {
    }

    /**
     * Every record whose key starts with {@code keyPrefix}, read from the earliest offset until {@code quiet}
     * passes with no new matching record after at least {@code expected} arrived (or {@code timeout}).
     */
    static List<Event> read(final String bootstrapServers, final String registryUrl, final String keyPrefix,
                            final int expected, final Duration quiet, final Duration timeout) {
        final List<Event> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "producers-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
             ConfluentAvroDeserializer<ClickEvent> avro = new ConfluentAvroDeserializer<>()) {
            avro.configure(Map.of(SchemaRegistryConfig.URL_CONFIG, registryUrl,
                    AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, ClickEvent.class.getName()), false);
            consumer.subscribe(List.of(Topics.EVENTS));
            final long end = System.nanoTime() + timeout.toNanos();
            long lastNew = System.nanoTime();
            while (System.nanoTime() < end && (found.size() < expected || System.nanoTime() - lastNew < quiet.toNanos())) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(keyPrefix)) {
                        found.add(new Event(record.key(), record.partition(), record.value(),
                                avro.deserialize(record.topic(), record.value())));
                        lastNew = System.nanoTime();
                    }
                }
            }
        }
        return found;
    }

    /** How many partitions the events topic has. */
    static int partitions(final String bootstrapServers) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS).partitions().size();
        }
    }

    /** The partition the pipeline serves {@code userId} from: what Kafka's Java producer picks for the key. */
    static int ownerPartition(final String userId, final int partitions) {
        return Utils.toPositive(Utils.murmur2(Utils.utf8(userId))) % partitions;
    }
}
