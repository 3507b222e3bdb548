package io.rollstream.featurestore;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this instance can answer reads: Kafka Streams is RUNNING and no store is still being
 * restored from its changelog. (A restoring instance is RUNNING in Kafka Streams 4 while its
 * state updater restores in the background, so the state alone is not enough.)
 */
final class StreamsReadiness implements StateRestoreListener, KafkaStreams.StateListener {

    private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

    boolean isReady() {
        return state == KafkaStreams.State.RUNNING && restoring.isEmpty();
    }

    KafkaStreams.State state() {
        return state;
    }

    int restoringPartitions() {
        return restoring.size();
    }

    @Override
    public void onChange(final KafkaStreams.State newState, final KafkaStreams.State oldState) {
        state = newState;
    }

    @Override
    public void onRestoreStart(final TopicPartition partition, final String storeName, final long startingOffset,
                               final long endingOffset) {
        restoring.add(partition);
    }

    @Override
    public void onBatchRestored(final TopicPartition partition, final String storeName, final long batchEndOffset,
                                final long numRestored) {
    }

    @Override
    public void onRestoreEnd(final TopicPartition partition, final String storeName, final long totalRestored) {
        restoring.remove(partition);
    }

    @Override
    public void onRestoreSuspended(final TopicPartition partition, final String storeName, final long totalRestored) {
        restoring.remove(partition);
    }
}
