package io.rollstream.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far an application has got, from its consumer group's committed offsets: records of the
 * input topic committed as processed (it was written without transactions, so offsets count
 * records), and what is still waiting in the topics it relays events through to itself. Under
 * exactly_once_v2 only committed transactions move these offsets.
 */
final class GroupProgress {

    /** Committed records of the input topic, and committed offsets summed over the relay topics. */
    record Committed(long input, long relay, Map<TopicPartition, Long> relayOffsets) {
    }

    private final Admin admin;
    private final String inputTopic;
    private final Map<TopicPartition, Long> relayStarts;
    private final List<String> relayTopics;
    private final boolean transactional;

    /**
     * @param relayStarts   every partition of the relay topics to drain, with the offset this run
     *                      starts at ({@link RelayTopics#empty}): a partition it relays nothing to
     *                      has nothing to wait for
     * @param transactional whether the application writes its relay topics in transactions: each
     *                      partition's last transaction then ends with a commit marker that takes
     *                      an offset but is never processed
     */
    GroupProgress(final Admin admin, final String inputTopic, final Map<TopicPartition, Long> relayStarts,
                  final boolean transactional) {
        this.admin = admin;
        this.inputTopic = inputTopic;
        this.relayStarts = Map.copyOf(relayStarts);
        this.relayTopics = relayStarts.keySet().stream().map(TopicPartition::topic).distinct().toList();
        this.transactional = transactional;
    }

    Committed committed(final String applicationId) {
        final Map<TopicPartition, OffsetAndMetadata> offsets = BrokerCalls.await(admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata(), "read the committed offsets of " + applicationId);
        long input = 0;
        long relay = 0;
        final Map<TopicPartition, Long> relayOffsets = new HashMap<>();
        for (final Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            if (entry.getKey().topic().equals(inputTopic)) {
                input += entry.getValue().offset();
            } else if (relayTopics.contains(entry.getKey().topic())) {
                relay += entry.getValue().offset();
                relayOffsets.put(entry.getKey(), entry.getValue().offset());
            }
        }
        return new Committed(input, relay, relayOffsets);
    }

    /** Records written to the relay topics that the application has not committed as processed yet. */
    long relayBacklog(final Committed committed) {
        if (relayTopics.isEmpty()) {
            return 0;
        }
        long backlog = 0;
        for (final var end : BrokerCalls.partitionEnds(admin, relayTopics).entrySet()) {
            final long endOffset = end.getValue();
            final long done = committed.relayOffsets().getOrDefault(end.getKey(), relayStarts.getOrDefault(end.getKey(), 0L));
            final long markers = transactional && endOffset > done ? 1 : 0;
            backlog += Math.max(0, endOffset - markers - done);
        }
        return backlog;
    }
}
