package io.rollstream.cli;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import org.apache.kafka.common.serialization.Serializer;

/** The event serializer the CLI's producers share: Confluent wire format, schema auto-registered. */
final class Serializers {

    private Serializers() {
    }

    static Serializer<ClickEvent> clickEvents(final String registryUrl) {
        return new ConfluentAvroSerializer<>(RestSchemaRegistryClient.builder(registryUrl).build(),
                SerializerOptions.forValues());
    }
}
