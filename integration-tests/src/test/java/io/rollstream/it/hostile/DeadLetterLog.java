package io.rollstream.it.hostile;

import io.rollstream.schemas.contract.Topics;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter topic as a test reads it: every dead letter so far, by the source record it
 * stands for ({@code topic/partition/offset}), read by a consumer that assigns itself every
 * partition (no group, nothing committed).
 */
final class DeadLetterLog implements AutoCloseable {

    /** One dead letter: why, and the message. */
    record Letter(String reason, String message, ConsumerRecord<byte[], byte[]> record) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, List<Letter>> bySource = new HashMap<>();

    DeadLetterLog(final String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTERS, Duration.ofSeconds(30))
                .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    static String source(final String topic, final int partition, final long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** Reads until a dead letter stands for each of {@code sources}, or {@code wait} passes; returns all read so far. */
    Map<String, List<Letter>> awaitAll(final Collection<String> sources, final Duration wait) {
        final Instant deadline = Instant.now().plus(wait);
        while (!bySource.keySet().containsAll(sources) && Instant.now().isBefore(deadline)) {
            poll(Duration.ofMillis(500));
        }
        // Whatever else is already there: a duplicate of an awaited letter must be seen too.
        poll(Duration.ofSeconds(2));
        return Map.copyOf(bySource);
    }

    private void poll(final Duration timeout) {
        for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            final String source = source(header(record, DeadLetterHeaders.SOURCE_TOPIC),
                    Integer.parseInt(header(record, DeadLetterHeaders.SOURCE_PARTITION)),
                    Long.parseLong(header(record, DeadLetterHeaders.SOURCE_OFFSET)));
            bySource.computeIfAbsent(source, s -> new ArrayList<>()).add(new Letter(
                    header(record, DeadLetterHeaders.REASON), header(record, DeadLetterHeaders.MESSAGE), record));
        }
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String key) {
        return DeadLetterHeaders.read(record.headers(), key).orElse("");
    }

    @Override
    public void close() {
        consumer.close();
    }
}
