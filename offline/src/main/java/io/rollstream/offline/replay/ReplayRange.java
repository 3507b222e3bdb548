package io.rollstream.offline.replay;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offsets a replay reads, per partition: from {@code start} (included) to {@code end}
 * (excluded), both fixed when the replay starts, so it ends even while producers go on writing.
 */
public record ReplayRange(String topic, Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    public ReplayRange {
        start = Map.copyOf(start);
        end = Map.copyOf(end);
    }

    /** Records the range holds in all. */
    public long records() {
        long records = 0;
        for (final Map.Entry<TopicPartition, Long> partition : start.entrySet()) {
            records += Math.max(0, end.get(partition.getKey()) - partition.getValue());
        }
        return records;
    }

    /**
     * Resolves {@code from} and {@code to} against the topic as it is now.
     *
     * @throws IllegalArgumentException when the topic does not exist, a partition named does not,
     *     or {@code from} is after {@code to} on a partition
     */
    public static ReplayRange resolve(final Consumer<?, ?> consumer, final String topic, final Position from,
                                      final Position to) {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic '" + topic + "' does not exist on these brokers; list them with "
                    + "kafka-topics.sh --list, or name another with --topic");
        }
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final PartitionInfo info : infos) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        final Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
        final Map<TopicPartition, Long> latest = consumer.endOffsets(partitions, METADATA_TIMEOUT);
        final Map<TopicPartition, Long> start = offsets(consumer, partitions, from, earliest, earliest, latest, "--from");
        final Map<TopicPartition, Long> end = offsets(consumer, partitions, to, latest, earliest, latest, "--to");
        for (final TopicPartition partition : partitions) {
            if (start.get(partition) > end.get(partition)) {
                throw new IllegalArgumentException("--from is after --to on partition " + partition.partition() + " ("
                        + start.get(partition) + " > " + end.get(partition) + "): give the earlier position first");
            }
        }
        return new ReplayRange(topic, start, end);
    }

    private static Map<TopicPartition, Long> offsets(final Consumer<?, ?> consumer, final List<TopicPartition> partitions,
                                                     final Position position, final Map<TopicPartition, Long> unnamed,
                                                     final Map<TopicPartition, Long> earliest,
                                                     final Map<TopicPartition, Long> latest, final String option) {
        final Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        switch (position) {
            case Position.Earliest e -> offsets.putAll(earliest);
            case Position.End e -> offsets.putAll(latest);
            case Position.AtTime at -> {
                final Map<TopicPartition, Long> times = new LinkedHashMap<>();
                partitions.forEach(partition -> times.put(partition, at.time().toEpochMilli()));
                final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, METADATA_TIMEOUT);
                for (final TopicPartition partition : partitions) {
                    final OffsetAndTimestamp first = found.get(partition);
                    offsets.put(partition, first == null ? latest.get(partition) : first.offset());
                }
            }
            case Position.AtOffsets at -> {
                for (final Integer named : at.offsets().keySet()) {
                    if (partitions.stream().noneMatch(p -> p.partition() == named)) {
                        throw new IllegalArgumentException(option + " names partition " + named + ", which topic '"
                                + partitions.getFirst().topic() + "' does not have (it has 0 to " + (partitions.size() - 1) + ")");
                    }
                }
                for (final TopicPartition partition : partitions) {
                    final Long named = at.offsets().get(partition.partition());
                    offsets.put(partition, named == null ? unnamed.get(partition)
                            : Math.max(earliest.get(partition), Math.min(latest.get(partition), named)));
                }
            }
        }
        return offsets;
    }
}
