package io.rollstream.featurestore;

import io.rollstream.featurestore.routing.StoreRestores;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Objects;

/**
 * Whether this instance can answer reads: Kafka Streams is RUNNING and no store is still being
 * restored from its changelog. (A restoring instance is RUNNING in Kafka Streams 4 while its
 * state updater restores in the background, so the state alone is not enough.)
 */
final class StreamsReadiness implements KafkaStreams.StateListener {

    private final StoreRestores restores;
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

    /** @param restores the restore callbacks of the same Kafka Streams */
    StreamsReadiness(final StoreRestores restores) {
        this.restores = Objects.requireNonNull(restores, "restores");
    }

    boolean isReady() {
        return state == KafkaStreams.State.RUNNING && restores.restoringPartitions() == 0;
    }

    KafkaStreams.State state() {
        return state;
    }

    int restoringPartitions() {
        return restores.restoringPartitions();
    }

    @Override
    public void onChange(final KafkaStreams.State newState, final KafkaStreams.State oldState) {
        state = newState;
    }
}
