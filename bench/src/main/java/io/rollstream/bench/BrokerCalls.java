package io.rollstream.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** Admin calls to the benchmark's broker, waited for; a failure says what was being done. */
public final class BrokerCalls {

    /** Far beyond what an in-process broker takes: reaching it means the broker is stuck or gone. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private BrokerCalls() {
    }

    /**
     * The call's result.
     *
     * @param what what the call does, as in "cannot {what}": "read the end offsets of [topic]"
     */
    public static <T> T await(final KafkaFuture<T> call, final String what) {
        try {
            return call.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + what + " on the broker: " + e.getMessage(), e);
        }
    }

    /** The end offset of every partition of {@code topics}. */
    public static Map<TopicPartition, Long> partitionEnds(final Admin admin, final List<String> topics) {
        final Map<String, TopicDescription> descriptions = await(admin.describeTopics(topics).allTopicNames(),
                "describe the topics " + topics);
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        descriptions.values().forEach(topic -> topic.partitions().forEach(partition ->
                latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
        return await(admin.listOffsets(latest).all(), "read the end offsets of " + topics)
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }
}
