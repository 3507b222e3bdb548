package io.rollstream.featurestore;

import io.rollstream.topologies.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure the contract's topics exist before the topology starts. The re-keyed topic must have
 * exactly the events topic's partition count (both feed the same tasks), so that count is read
 * from the broker when the events topic already exists.
 */
final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final int defaultPartitions;
    private final short replication;

    TopicProvisioner(final Admin admin, final int defaultPartitions, final short replication) {
        this.admin = admin;
        this.defaultPartitions = defaultPartitions;
        this.replication = replication;
    }

    /**
     * @param partitionedBy topics that move events to other entities' partitions; created, like
     *                      the re-keyed topic, with the events topic's partition count
     * @return the partition count of the events topic
     */
    int ensureTopics(final List<String> partitionedBy) {
        try {
            final int partitions = partitionsOf(Topics.EVENTS).orElseGet(() -> create(Topics.EVENTS, defaultPartitions));
            final int rekeyed = partitionsOf(Topics.REKEYED).orElseGet(() -> create(Topics.REKEYED, partitions));
            if (rekeyed != partitions) {
                throw new IllegalStateException("topic " + Topics.REKEYED + " has " + rekeyed + " partitions but "
                        + Topics.EVENTS + " has " + partitions + "; they must match. Delete " + Topics.REKEYED
                        + " (it only holds events in transit) and restart, and Rollstream recreates it.");
            }
            partitionsOf(Topics.DEAD_LETTERS).orElseGet(() -> create(Topics.DEAD_LETTERS, partitions));
            for (final String topic : partitionedBy) {
                final int count = partitionsOf(topic).orElseGet(() -> create(topic, partitions));
                if (count != partitions) {
                    throw new IllegalStateException("topic " + topic + " has " + count + " partitions but "
                            + Topics.EVENTS + " has " + partitions + "; they must match. Delete " + topic
                            + " (it only holds events in transit) and restart, and Rollstream recreates it.");
                }
            }
            return partitions;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not check or create Rollstream's topics on the Kafka cluster ("
                    + e.getMessage() + "); check that the brokers are reachable and that this principal may "
                    + "describe and create topics", e);
        }
    }

    private Optional<Integer> partitionsOf(final String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        final Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!existing.contains(topic)) {
            return Optional.empty();
        }
        final Map<String, TopicDescription> described =
                admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Optional.of(described.get(topic).partitions().size());
    }

    private int create(final String topic, final int partitions) {
        final List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(topic, partitions, replication));
        try {
            admin.createTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Created topic {} with {} partitions", topic, partitions);
            return partitions;
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                // Another instance created it at the same moment: use what is there.
                try {
                    return partitionsOf(topic).orElse(partitions);
                } catch (final Exception again) {
                    throw new IllegalStateException("could not describe topic " + topic, again);
                }
            }
            throw new IllegalStateException("could not create topic " + topic + " (" + e.getCause().getMessage()
                    + "); create it with " + partitions + " partitions or grant this principal CREATE", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (final TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + topic + "; are the brokers reachable?", e);
        }
    }
}
