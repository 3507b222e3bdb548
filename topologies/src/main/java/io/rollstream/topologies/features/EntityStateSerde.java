package io.rollstream.topologies.features;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.EntityStateCodec;
import io.rollstream.engine.FeatureSet;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde over the engine's {@link EntityStateCodec}, for the state store and its changelog. */
public final class EntityStateSerde {

    private EntityStateSerde() {
    }

    public static Serde<EntityState> forFeatureSet(final FeatureSet featureSet) {
        final EntityStateCodec codec = new EntityStateCodec(featureSet);
        final Serializer<EntityState> serializer = (topic, state) -> state == null ? null : codec.encode(state);
        final Deserializer<EntityState> deserializer = (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
