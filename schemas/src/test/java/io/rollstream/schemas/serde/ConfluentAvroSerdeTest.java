package io.rollstream.schemas.serde;

import static io.rollstream.schemas.TestSchemas.sampleEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaNotFoundException;
import io.rollstream.schemas.registry.SchemaRegistryUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private static final String TOPIC = "clickstream.events";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient("serde-test");
    private final Serde<ClickEvent> serde = new ClickEventSerde(registry);

    @Test
    void shouldRoundTripThroughConfluentWireFormat() {
        ClickEvent event = sampleEvent();

        byte[] bytes = serde.serializer().serialize(TOPIC, event);

        int id = registry.latest(TOPIC + "-value").id();
        assertThat(bytes[0]).isEqualTo(ConfluentWireFormat.MAGIC_BYTE);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(event);
    }

    @Test
    void shouldRegisterKeysUnderTheKeySubject() {
        ConfluentAvroSerializer<ClickEvent> keys = new ConfluentAvroSerializer<>(registry, SerializerOptions.forKeys());

        keys.serialize(TOPIC, sampleEvent());

        assertThat(registry.subjects()).containsExactly(TOPIC + "-key");
    }

    @Test
    void shouldPassTombstonesThroughAsNull() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldUseTheRegisteredIdWhenAutoRegistrationIsOff() {
        int id = registry.register(TOPIC + "-value", ClickEvent.getClassSchema());
        ConfluentAvroSerializer<ClickEvent> lookupOnly = new ConfluentAvroSerializer<>(registry,
                SerializerOptions.forValues().withAutoRegisterSchemas(false));

        byte[] bytes = lookupOnly.serialize(TOPIC, sampleEvent());

        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(id);
        assertThat(registry.latest(TOPIC + "-value").version()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToWriteAnUnregisteredSchemaWhenAutoRegistrationIsOff() {
        ConfluentAvroSerializer<ClickEvent> lookupOnly = new ConfluentAvroSerializer<>(registry,
                SerializerOptions.forValues().withAutoRegisterSchemas(false));

        assertThatThrownBy(() -> lookupOnly.serialize(TOPIC, sampleEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject '" + TOPIC + "-value'")
                .hasMessageContaining("auto.register.schemas=false");
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void shouldSayWhichRecordCouldNotBeEncoded() {
        ClickEvent missingId = sampleEvent();
        missingId.setEventId(null);

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, missingId))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Could not encode a io.rollstream.schemas.ClickEvent for topic '" + TOPIC + "'")
                .hasMessageContaining("event_id");
    }

    @Test
    void shouldRejectBadMagicByteAsMalformed() {
        byte[] bytes = serde.serializer().serialize(TOPIC, sampleEvent());
        bytes[0] = 1;

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("starts with byte 0x01")
                .hasMessageContaining("(" + bytes.length + " bytes)");
    }

    @Test
    void shouldRejectTruncatedHeaderAsMalformed() {
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 0}))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("only 3 bytes");
    }

    @Test
    void shouldRejectTruncatedPayloadAsMalformed() {
        byte[] bytes = serde.serializer().serialize(TOPIC, sampleEvent());
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 10);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, cut))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("Avro decoding failed for a " + cut.length + "-byte record from topic '" + TOPIC)
                .hasMessageContaining("writer schema id 1");
    }

    @Test
    void shouldRejectBytesLeftOverAfterTheRecordAsMalformed() {
        byte[] bytes = serde.serializer().serialize(TOPIC, sampleEvent());
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, padded))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("bytes left over");
    }

    @Test
    void shouldPropagateSchemaNotFoundForUnknownId() {
        byte[] bytes = serde.serializer().serialize(TOPIC, sampleEvent());
        ByteBuffer.wrap(bytes).putInt(1, 999);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403))
                .hasMessageContaining("Schema id 999");
    }

    @Test
    void shouldReportUnreachableRegistryAsRetriable() throws IOException {
        byte[] bytes = serde.serializer().serialize(TOPIC, sampleEvent());
        try (RestSchemaRegistryClient unreachable =
                RestSchemaRegistryClient.builder("http://127.0.0.1:" + closedPort()).build()) {
            ConfluentAvroDeserializer<ClickEvent> deserializer =
                    new ConfluentAvroDeserializer<>(unreachable, ClickEvent.class);

            assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .isInstanceOf(SerializationException.class);
        }
    }

    @Test
    void shouldKeepEventTypeAndTimestampExact() {
        ClickEvent search = ClickEvent.newBuilder(sampleEvent()).setEventType(EventType.SEARCH)
                .setSearchQuery("red shoes").build();

        ClickEvent read = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, search));

        assertThat(read.getEventType()).isEqualTo(EventType.SEARCH);
        assertThat(read.getEventTime()).isEqualTo(search.getEventTime());
        assertThat(read.getSearchQuery()).isEqualTo("red shoes");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
