package io.rollstream.bench.serving;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.schemas.contract.Topics;

import java.time.Duration;
import java.util.List;

/**
 * Events sent to the instance at a steady rate while reads are measured, for users of the same
 * Zipf distribution the load gave it: each commit that writes a user drops that user's kept answer,
 * so reads measured meanwhile show what kept answers are worth when the users read are also active.
 */
final class BackgroundWrites implements AutoCloseable {

    /** Distinct pre-encoded events sent in turn, each with a fresh id and the current time. */
    private static final int POOL = 200_000;

    private final PacedProducer producer;

    private BackgroundWrites(final PacedProducer producer) {
        this.producer = producer;
    }

    static BackgroundWrites start(final ServiceUnderTest service, final int users, final double rate, final long seed) {
        final SchemaRegistryClient registry = RestSchemaRegistryClient.builder(service.registryUrl()).build();
        final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues());
        final PreEncodedEvents events = PreEncodedEvents.encode(POOL, users, seed + 7, Topics.EVENTS, serializer);
        events.verify(new ConfluentAvroDeserializer<>(registry, ClickEvent.class), Topics.EVENTS);
        final PacedProducer producer = new PacedProducer(service.bootstrapServers(), Topics.EVENTS, events, serializer, rate,
                Duration.ofSeconds(2), List.of(), Duration.ofDays(1), marker -> { });
        producer.stopMarkers();
        producer.start();
        return new BackgroundWrites(producer);
    }

    long sent() {
        return producer.sent();
    }

    /** @throws IllegalStateException if any event could not be sent: the reads were not measured under the load asked for */
    void requireAllSent() {
        if (producer.failed() > 0) {
            throw new IllegalStateException(producer.failed() + " background events failed to send; first: "
                    + producer.firstFailure());
        }
    }

    @Override
    public void close() throws InterruptedException {
        producer.close();
    }
}
