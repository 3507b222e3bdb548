package io.rollstream.featurestore;

import io.rollstream.schemas.contract.Topics;
import io.rollstream.schemas.contract.ClockSkew;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;
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
 *
 * <p>The events topic is created refusing records stamped further ahead of the broker's clock than
 * {@link ClockSkew#recordStampAllowance} ({@code message.timestamp.after.max.ms}; Kafka 4's default
 * is an hour, earlier brokers' unlimited). Ingest judges an event's time against its record's
 * timestamp, so a producer whose own clock runs ahead would otherwise get events admitted further
 * in the future than the engine keeps tiles for, and the short windows of the entities they touch
 * would lose history. Such a producer now sees its sends fail. An events topic created elsewhere
 * is left as it is, with a warning saying how to set it.
 */
final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final int defaultPartitions;
    private final short replication;
    private final long recordStampAllowanceMs;

    TopicProvisioner(final Admin admin, final int defaultPartitions, final short replication, final ClockSkew skew) {
        this.admin = admin;
        this.defaultPartitions = defaultPartitions;
        this.replication = replication;
        this.recordStampAllowanceMs = skew.recordStampAllowance().toMillis();
    }

    /**
     * @param partitionedBy topics that move events to other entities' partitions; created, like
     *                      the re-keyed topic, with the events topic's partition count
     * @return the partition count of the events topic
     */
    int ensureTopics(final List<String> partitionedBy) {
        try {
            final Optional<Integer> existingEvents = partitionsOf(Topics.EVENTS);
            final int partitions = existingEvents.orElseGet(() -> create(Topics.EVENTS, defaultPartitions,
                    Map.of(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(recordStampAllowanceMs))));
            if (existingEvents.isPresent()) {
                warnIfStampsMayRunAhead();
            }
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

    private void warnIfStampsMayRunAhead() throws InterruptedException {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS);
        final Config config;
        try {
            config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource);
        } catch (final ExecutionException | TimeoutException e) {
            // A check that can only warn must not stop the service: say what was not checked.
            LOG.warn("Could not read the configuration of topic {} to check {} ({}); grant this principal "
                    + "DescribeConfigs on it to have it checked", Topics.EVENTS,
                    TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, e.getMessage());
            return;
        }
        final ConfigEntry type = config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
        final ConfigEntry ahead = config.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG);
        final boolean appendTime = type != null && "LogAppendTime".equals(type.value());
        if (!appendTime && ahead != null && ahead.value() != null && Long.parseLong(ahead.value()) > recordStampAllowanceMs) {
            LOG.warn("Topic {} accepts records stamped up to {} ms ahead of the broker's clock ({}), more than the {} ms "
                            + "Rollstream allows for (the max future skew, at least a minute): a producer whose clock runs "
                            + "ahead can get events admitted further in the future than tiles are kept for, and the short "
                            + "windows of the entities they touch lose history. Set it: "
                            + "kafka-configs --alter --entity-type topics --entity-name {} --add-config {}={}",
                    Topics.EVENTS, ahead.value(), TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, recordStampAllowanceMs,
                    Topics.EVENTS, TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, recordStampAllowanceMs);
        }
    }

    private int create(final String topic, final int partitions) {
        return create(topic, partitions, Map.of());
    }

    private int create(final String topic, final int partitions, final Map<String, String> configs) {
        final List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(topic, partitions, replication).configs(configs));
        try {
            admin.createTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Created topic {} with {} partitions{}", topic, partitions, configs.isEmpty() ? "" : " and " + configs);
            return partitions;
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof InvalidConfigurationException && !configs.isEmpty()) {
                // A broker older than Kafka 3.6 knows no message.timestamp.after.max.ms.
                LOG.warn("The brokers refused topic {} with {} ({}); creating it without: upgrade them to Kafka 3.6 or "
                        + "later to have records stamped far ahead of their clocks refused", topic, configs,
                        e.getCause().getMessage());
                return create(topic, partitions, Map.of());
            }
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
