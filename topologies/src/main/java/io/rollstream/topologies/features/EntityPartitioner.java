package io.rollstream.topologies.features;

import io.rollstream.engine.EntityDefinition;
import io.rollstream.topologies.ingest.OwnerPartition;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.util.Optional;
import java.util.Set;

/**
 * Where an entity key's state lives: the partition of its first component (a user's category
 * features live beside the user's own). Interactive queries use it to find a key's owner.
 */
public final class EntityPartitioner implements StreamPartitioner<String, Object> {

    @Override
    public Optional<Set<Integer>> partitions(final String topic, final String key, final Object value,
                                             final int numPartitions) {
        return Optional.of(Set.of(new OwnerPartition(numPartitions).of(EntityDefinition.partitionPart(key))));
    }
}
