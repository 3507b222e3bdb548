package io.rollstream.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Empties the topics an application relays events through to itself before it runs. Every run is
 * a new application reading from the earliest offset, and the relay topics are shared by every
 * run of the same variant (the Rollstream topology names its own): without this, a timed run would
 * also process what its warm-up, or the run under the previous guarantee, relayed — and wait for
 * it before counting as done.
 */
final class RelayTopics {

    private RelayTopics() {
    }

    /** Moves the start of every partition of {@code topics} to its end, and returns where that is. */
    static Map<TopicPartition, Long> empty(final Admin admin, final List<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        final Map<TopicPartition, Long> ends = BrokerCalls.partitionEnds(admin, topics);
        final Map<TopicPartition, RecordsToDelete> before = new HashMap<>();
        ends.forEach((partition, end) -> {
            if (end > 0) {
                before.put(partition, RecordsToDelete.beforeOffset(end));
            }
        });
        BrokerCalls.await(admin.deleteRecords(before).all(), "empty the relay topics " + topics);
        return ends;
    }
}
