package io.rollstream.featurestore.routing;

import io.rollstream.engine.EntityState;
import io.rollstream.featurestore.query.FeatureQueryException;
import io.rollstream.topologies.features.EntityPartitioner;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link LocalReplicas} backed by this instance's Kafka Streams: interactive-query metadata, the
 * local stores, and their changelog lag. The lag is measured in the background
 * ({@link KafkaStreams#allLocalStorePartitionLags()} asks the brokers for end offsets, too slow for
 * the read path) and read from the latest measure.
 */
public final class StreamsReplicas implements LocalReplicas, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsReplicas.class);
    private static final EntityPartitioner PARTITIONER = new EntityPartitioner();

    private final KafkaStreams streams;
    private final StoreRestores restores;
    private final ScheduledExecutorService lagRefresher;
    private volatile Map<String, Map<Integer, LagInfo>> lags = Map.of();

    /** @param restores the restore callbacks of {@code streams}, which tell a restoring active from a running one */
    public StreamsReplicas(final KafkaStreams streams, final StoreRestores restores, final Duration lagRefresh) {
        this.streams = Objects.requireNonNull(streams);
        this.restores = Objects.requireNonNull(restores);
        this.lagRefresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("rollstream-lag-refresh").factory());
        lagRefresher.scheduleWithFixedDelay(this::refreshLags, 0, lagRefresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refreshLags() {
        try {
            lags = streams.allLocalStorePartitionLags();
        } catch (final IllegalStateException | InvalidStateStoreException e) {
            // Not started, or stopped: no copy here is readable.
            lags = Map.of();
        } catch (final RuntimeException e) {
            // The brokers did not answer; standby reads stay judged by the last measure until they do.
            LOG.debug("Could not measure the lag of the local stores: {}", e.toString());
        }
    }

    @Override
    public KeyQueryMetadata locate(final String storeName, final String key) {
        final KeyQueryMetadata owners;
        try {
            owners = streams.queryMetadataForKey(storeName, key, PARTITIONER);
        } catch (final InvalidStateStoreException e) {
            return KeyQueryMetadata.NOT_AVAILABLE; // not started yet
        } catch (final IllegalStateException e) {
            throw FeatureQueryException.unavailable("this instance's Kafka Streams is not running (" + streams.state()
                    + "); ask another instance", 1);
        }
        return owners == null ? KeyQueryMetadata.NOT_AVAILABLE : owners;
    }

    @Override
    public OptionalLong readableLag(final String storeName, final int partition) {
        final Map<Integer, LagInfo> byPartition = lags.get(storeName);
        final LagInfo lag = byPartition == null ? null : byPartition.get(partition);
        // Position 0 of a non-empty changelog: the copy exists but has restored nothing, and would
        // answer "never seen" for every key.
        if (lag == null || (lag.currentOffsetPosition() == 0 && lag.endOffsetPosition() > 0)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(lag.offsetLag());
    }

    @Override
    public EntityState read(final String storeName, final int partition, final String key, final boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, EntityState>> query = StoreQueryParameters
                .fromNameAndType(storeName, QueryableStoreTypes.<String, EntityState>keyValueStore())
                .withPartition(partition);
        if (stale) {
            query = query.enableStaleStores();
        } else if (restores.isRestoring(storeName, partition)) {
            throw new InvalidStateStoreException("it is restoring from its changelog");
        }
        try {
            return streams.store(query).get(key);
        } catch (final IllegalStateException e) {
            throw new InvalidStateStoreException("Kafka Streams is " + streams.state(), e);
        }
    }

    @Override
    public void close() {
        lagRefresher.shutdownNow();
    }
}
