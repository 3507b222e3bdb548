package io.rollstream.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaFuture;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How far an application has got, from its consumer group's committed offsets: records of the
 * input topic committed as processed (it was written without transactions, so offsets count
 * records), and what is still waiting in the topics it relays events through to itself. Under
 * exactly_once_v2 only committed transactions move these offsets.
 */
final class GroupProgress {

    private static final long TIMEOUT_SECONDS = 10;

    /** Committed records of the input topic, and committed offsets summed over the relay topics. */
    record Committed(long input, long relay, Map<TopicPartition, Long> relayOffsets) {
    }

    private final Admin admin;
    private final String inputTopic;
    private final List<String> relayTopics;
    private final boolean transactional;

    /**
     * @param transactional whether the application writes its relay topics in transactions: each
     *                      partition's last transaction then ends with a commit marker that takes
     *                      an offset but is never processed
     */
    GroupProgress(final Admin admin, final String inputTopic, final List<String> relayTopics, final boolean transactional) {
        this.admin = admin;
        this.inputTopic = inputTopic;
        this.relayTopics = List.copyOf(relayTopics);
        this.transactional = transactional;
    }

    Committed committed(final String applicationId) {
        final Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata(), "the committed offsets of " + applicationId);
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
        final Map<String, TopicDescription> topics = get(admin.describeTopics(relayTopics).allTopicNames(),
                "the partitions of " + relayTopics);
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.values().forEach(topic -> topic.partitions().forEach(partition ->
                latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
        long backlog = 0;
        for (final var end : get(admin.listOffsets(latest).all(), "the end offsets of " + relayTopics).entrySet()) {
            final long endOffset = end.getValue().offset();
            final long done = committed.relayOffsets().getOrDefault(end.getKey(), 0L);
            final long markers = transactional && endOffset > done ? 1 : 0;
            backlog += Math.max(0, endOffset - markers - done);
        }
        return backlog;
    }

    private static <T> T get(final KafkaFuture<T> future, final String what) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + what, e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read " + what + " from the embedded broker: " + e.getMessage(), e);
        }
    }
}
