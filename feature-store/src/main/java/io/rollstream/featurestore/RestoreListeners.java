package io.rollstream.featurestore;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.List;

/** Kafka Streams takes one global restore listener; this passes each callback on to several, in order. */
final class RestoreListeners implements StateRestoreListener {

    private final List<StateRestoreListener> listeners;

    RestoreListeners(final List<StateRestoreListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onRestoreStart(final TopicPartition partition, final String storeName, final long startingOffset,
                               final long endingOffset) {
        listeners.forEach(listener -> listener.onRestoreStart(partition, storeName, startingOffset, endingOffset));
    }

    @Override
    public void onBatchRestored(final TopicPartition partition, final String storeName, final long batchEndOffset,
                                final long numRestored) {
        listeners.forEach(listener -> listener.onBatchRestored(partition, storeName, batchEndOffset, numRestored));
    }

    @Override
    public void onRestoreEnd(final TopicPartition partition, final String storeName, final long totalRestored) {
        listeners.forEach(listener -> listener.onRestoreEnd(partition, storeName, totalRestored));
    }

    @Override
    public void onRestoreSuspended(final TopicPartition partition, final String storeName, final long totalRestored) {
        listeners.forEach(listener -> listener.onRestoreSuspended(partition, storeName, totalRestored));
    }
}
