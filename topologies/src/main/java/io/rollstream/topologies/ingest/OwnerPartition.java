package io.rollstream.topologies.ingest;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * The partition a user's events belong on: murmur2 of the UTF-8 user id, as Kafka's Java producer
 * and Kafka Streams partition a String key. Interactive queries find a user's state by the same
 * hash, so an event must be aggregated on this partition to be served.
 */
public final class OwnerPartition {

    private final int partitions;

    public OwnerPartition(final int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partition count must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
    }

    public int of(final String userId) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
