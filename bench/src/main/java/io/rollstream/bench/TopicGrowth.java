package io.rollstream.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The summed end offsets of topics: read before and after a run, they show whether it
 * dead-lettered, re-keyed or relayed events. Under exactly_once_v2 they also count transaction
 * markers, so they say "offsets", not "records".
 */
final class TopicGrowth {

    private TopicGrowth() {
    }

    /** Each topic's end offsets summed over its partitions, in the order given. */
    static Map<String, Long> endOffsets(final Admin admin, final List<String> topics) {
        final Map<TopicPartition, Long> ends = BrokerCalls.partitionEnds(admin, topics);
        final Map<String, Long> sums = new LinkedHashMap<>();
        for (final String topic : topics) {
            sums.put(topic, ends.entrySet().stream().filter(end -> end.getKey().topic().equals(topic))
                    .mapToLong(Map.Entry::getValue).sum());
        }
        return sums;
    }


    /** "clickstream.events.dlq +0, clickstream.events.rekeyed +0, ... offsets". */
    static String describe(final Map<String, Long> before, final Map<String, Long> after) {
        return after.entrySet().stream()
                .map(end -> String.format("%s +%,d", end.getKey(), end.getValue() - before.getOrDefault(end.getKey(), 0L)))
                .collect(Collectors.joining(", ")) + " offsets";
    }
}
