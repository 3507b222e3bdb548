package io.rollstream.bench.serving;

import io.rollstream.bench.BrokerCalls;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.topologies.RollstreamTopology;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How many records the feature store has not yet committed as processed, from its consumer group's
 * committed offsets against the end offsets of what it reads: the events topic (written without
 * transactions, so offsets count records) and the topics it relays events through to itself
 * (written in transactions under exactly_once_v2, so a partition's last offset may be a commit
 * marker that is never processed: one offset per partition is forgiven there).
 */
final class Backlog implements AutoCloseable {

    /** Records of the events topic committed as processed, and what is left in every input. */
    record State(long eventsCommitted, long eventsEnd, long remaining) {
    }

    private final Admin admin;
    private final String groupId;
    private final List<String> relayTopics;

    Backlog(final String bootstrapServers, final String groupId, final FeatureCatalog catalog) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "rollstream-bench-backlog"));
        this.groupId = groupId;
        final List<String> relays = new ArrayList<>();
        relays.add(Topics.REKEYED);
        relays.addAll(RollstreamTopology.partitionedByTopics(catalog));
        this.relayTopics = List.copyOf(relays);
    }

    State now() {
        final Map<TopicPartition, OffsetAndMetadata> committed = BrokerCalls.await(admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata(), "read the committed offsets of " + groupId);
        final List<String> topics = new ArrayList<>(relayTopics);
        topics.add(Topics.EVENTS);
        long eventsCommitted = 0;
        long eventsEnd = 0;
        long remaining = 0;
        for (final var end : BrokerCalls.partitionEnds(admin, topics).entrySet()) {
            final TopicPartition partition = end.getKey();
            final long endOffset = end.getValue();
            final OffsetAndMetadata offset = committed.get(partition);
            final long done = offset == null ? 0 : offset.offset();
            if (partition.topic().equals(Topics.EVENTS)) {
                eventsCommitted += done;
                eventsEnd += endOffset;
                remaining += Math.max(0, endOffset - done);
            } else {
                remaining += Math.max(0, endOffset - done - (endOffset > done ? 1 : 0));
            }
        }
        return new State(eventsCommitted, eventsEnd, remaining);
    }

    @Override
    public void close() {
        admin.close();
    }
}
