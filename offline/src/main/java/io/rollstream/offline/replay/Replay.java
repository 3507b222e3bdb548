package io.rollstream.offline.replay;

import io.rollstream.topologies.ingest.RecordJudge;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a topic between two positions and writes every record that passes the filter, with the
 * pipeline's verdict on it. It assigns the partitions itself: it never joins a consumer group and
 * never commits, so running consumers do not notice it. It reads committed records only, as the
 * pipeline does (the dead-letter and relay topics are written in transactions), and stops at the
 * end offsets it found when it started. A progress line goes to {@code progress} every second.
 */
public final class Replay {

    /** What a run read and wrote. */
    public record Outcome(long read, long written) {
    }

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private final Map<String, Object> consumerConfig;
    private final RecordJudge judge;
    private final Clock clock;
    private final PrintStream progress;

    /**
     * @param kafka consumer settings beyond the ones a replay fixes (security, say); the brokers among them
     */
    public Replay(final String bootstrapServers, final Map<String, Object> kafka, final RecordJudge judge,
                  final Clock clock, final PrintStream progress) {
        this.consumerConfig = new HashMap<>(kafka);
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.judge = judge;
        this.clock = clock;
        this.progress = progress;
    }

    public Outcome run(final String topic, final Position from, final Position to, final ReplayFilter filter,
                       final NdjsonRecords out) {
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final ReplayRange range = ReplayRange.resolve(consumer, topic, from, to);
            final Map<TopicPartition, Long> position = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
            for (final Map.Entry<TopicPartition, Long> start : range.start().entrySet()) {
                if (start.getValue() < range.end().get(start.getKey())) {
                    position.put(start.getKey(), start.getValue());
                }
            }
            consumer.assign(position.keySet());
            position.forEach(consumer::seek);
            final long startedMs = clock.millis();
            long reportedMs = startedMs;
            long read = 0;
            long written = 0;
            while (!position.isEmpty()) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    final long end = range.end().get(partition);
                    if (!position.containsKey(partition) || record.offset() >= end) {
                        continue;
                    }
                    read++;
                    final ReplayedRecord replayed = ReplayedRecord.of(record, judge, clock.millis());
                    if (filter.test(replayed)) {
                        out.write(replayed);
                        written++;
                    }
                    position.put(partition, record.offset() + 1);
                }
                // A partition is done when its position reaches the end: transaction markers and
                // aborted records take offsets no record is read at, so the consumer's own position counts.
                for (final TopicPartition partition : position.keySet().toArray(TopicPartition[]::new)) {
                    final long at = Math.max(position.get(partition), consumer.position(partition));
                    position.put(partition, at);
                    if (at >= range.end().get(partition)) {
                        position.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
                final long nowMs = clock.millis();
                if (nowMs - reportedMs >= PROGRESS_EVERY.toMillis()) {
                    report(range, position, read, written, nowMs - startedMs);
                    reportedMs = nowMs;
                }
            }
            out.flush();
            report(range, position, read, written, clock.millis() - startedMs);
            return new Outcome(read, written);
        }
    }

    private void report(final ReplayRange range, final Map<TopicPartition, Long> position, final long read,
                        final long written, final long elapsedMs) {
        final double perSecond = elapsedMs <= 0 ? 0 : read * 1000.0 / elapsedMs;
        final long total = range.records();
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "replay %s: %,d records read (of %,d offsets), "
                + "%,d written, %,.0f/s", range.topic(), read, total, written, perSecond));
        if (!position.isEmpty()) {
            line.append("; at");
            position.forEach((partition, at) -> line.append(' ').append(partition.partition()).append(':').append(at)
                    .append('/').append(range.end().get(partition)));
            if (perSecond > 0 && total > read) {
                line.append(String.format(Locale.ROOT, "; about %,.0f s left", (total - read) / perSecond));
            }
        } else {
            line.append("; done");
        }
        progress.println(line);
    }
}
