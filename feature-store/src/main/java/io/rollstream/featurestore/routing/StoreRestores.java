package io.rollstream.featurestore.routing;

import io.rollstream.topologies.features.EntityWriteListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which store partitions of this instance are being restored from their changelogs, from Kafka
 * Streams' restore callbacks (the one global restore listener it takes). Kafka Streams 4 queries
 * an active task's store as "running" while its state updater still restores it (only the
 * thread's state is checked), so {@link StreamsReplicas}
 * asks here before a fresh read; and a restore writes records beneath the entity stores, so their
 * write listeners are reset when one starts and when it ends.
 */
public final class StoreRestores implements StateRestoreListener {

    private record StorePartition(String store, int partition) {
    }

    private final Set<StorePartition> restoring = ConcurrentHashMap.newKeySet();
    private final Function<String, EntityWriteListener> listeners;

    /** @param listeners by store name, whom to reset; {@code null} for stores nobody listens to */
    public StoreRestores(final Function<String, EntityWriteListener> listeners) {
        this.listeners = Objects.requireNonNull(listeners, "listeners");
    }

    public boolean isRestoring(final String storeName, final int partition) {
        return restoring.contains(new StorePartition(storeName, partition));
    }

    /** How many store partitions are restoring now, every store counted. */
    public int restoringPartitions() {
        return restoring.size();
    }

    @Override
    public void onRestoreStart(final TopicPartition changelog, final String storeName, final long startingOffset,
                               final long endingOffset) {
        restoring.add(new StorePartition(storeName, changelog.partition()));
        reset(storeName);
    }

    @Override
    public void onBatchRestored(final TopicPartition changelog, final String storeName, final long batchEndOffset,
                                final long numRestored) {
    }

    @Override
    public void onRestoreEnd(final TopicPartition changelog, final String storeName, final long totalRestored) {
        reset(storeName);
        restoring.remove(new StorePartition(storeName, changelog.partition()));
    }

    @Override
    public void onRestoreSuspended(final TopicPartition changelog, final String storeName, final long totalRestored) {
        reset(storeName);
        restoring.remove(new StorePartition(storeName, changelog.partition()));
    }

    private void reset(final String storeName) {
        final EntityWriteListener listener = listeners.apply(storeName);
        if (listener != null) {
            listener.reset();
        }
    }
}
