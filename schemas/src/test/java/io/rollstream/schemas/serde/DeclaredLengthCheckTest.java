package io.rollstream.schemas.serde;

import static io.rollstream.schemas.TestSchemas.sampleEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Records that declare more than they hold are refused before Avro allocates for them. Each case
 * would make Avro allocate gigabytes (a string of 2^31 - 9 bytes, a map or array of 2^31 - 9
 * entries) if it reached the decoder: this test JVM's heap would not survive it.
 */
class DeclaredLengthCheckTest {

    private static final String TOPIC = "clickstream.events";
    private static final long HUGE = (1L << 31) - 9;
    /** ClickEvent, with an array after all of its fields: a writer schema newer than the reader's. */
    private static final Schema WITH_TAGS = withTags();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient("length-check-test");
    private final ConfluentAvroDeserializer<ClickEvent> deserializer = new ConfluentAvroDeserializer<>(registry, ClickEvent.class);
    private final int clickEventId = registry.register(TOPIC + "-value", ClickEvent.getClassSchema());
    private final int withTagsId = registry.register("with-tags-value", WITH_TAGS);

    @Test
    void shouldRefuseAStringDeclaredLongerThanTheRecordBeforeDecodingIt() throws IOException {
        final byte[] record = record(clickEventId, out -> {
            prefix(out);
            out.writeIndex(1);
            out.writeLong(HUGE);
        });

        assertThat(record.length).isLessThan(100);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("declares a string of " + HUGE + " bytes with 0 left at category")
                .hasMessageContaining("refused before decoding");
    }

    @Test
    void shouldRefuseAMapDeclaringMoreEntriesThanTheRecordCanHold() throws IOException {
        final byte[] record = record(clickEventId, out -> {
            prefix(out);
            for (int field = 0; field < 8; field++) {
                out.writeIndex(0);
            }
            out.writeMapStart();
            out.setItemCount(HUGE);
        });

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("declares " + HUGE + " map items with 0 bytes left")
                .hasMessageContaining("at properties");
    }

    @Test
    void shouldRefuseAnArrayDeclaringMoreItemsThanTheRecordCanHoldInAFieldTheReaderSkips() throws IOException {
        final byte[] record = record(withTagsId, out -> {
            prefix(out);
            for (int field = 0; field < 8; field++) {
                out.writeIndex(0);
            }
            out.writeMapStart();
            out.setItemCount(0);
            out.writeMapEnd();
            out.writeArrayStart();
            out.setItemCount(HUGE);
        });

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("declares " + HUGE + " array items")
                .hasMessageContaining("at tags");
    }

    @Test
    void shouldRefuseANegativeLengthAndABlockSizePastTheEnd() throws IOException {
        final byte[] negative = record(clickEventId, out -> {
            out.writeLong(-5);
        });
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, negative))
                .hasMessageContaining("declares a string of -5 bytes").hasMessageContaining("at event_id");

        final byte[] block = record(withTagsId, out -> {
            prefix(out);
            for (int field = 0; field < 8; field++) {
                out.writeIndex(0);
            }
            out.writeLong(0);
            out.writeLong(-2);
            out.writeLong(1_000_000);
        });
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, block))
                .hasMessageContaining("declares a block of 1000000 bytes");
    }

    @Test
    void shouldStillDecodeEveryRecordThatHoldsWhatItDeclares() {
        final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(registry,
                SerializerOptions.forValues());
        final ClickEvent event = sampleEvent();

        assertThat(deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, event))).isEqualTo(event);
    }

    @Test
    void shouldRefuseEveryTruncationOfAValidRecordAsMalformedAndNothingElse() {
        final byte[] whole = new ConfluentAvroSerializer<ClickEvent>(registry, SerializerOptions.forValues())
                .serialize(TOPIC, sampleEvent());
        for (int length = ConfluentWireFormat.HEADER_SIZE; length < whole.length; length++) {
            final byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> deserializer.deserialize(TOPIC, cut)).as("cut to %d bytes", length)
                    .isInstanceOf(MalformedRecordException.class);
        }
    }

    @Test
    void shouldFailRandomBytesAsMalformedWithoutAnyOtherError() {
        final Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            final byte[] bytes = new byte[5 + random.nextInt(120)];
            random.nextBytes(bytes);
            bytes[0] = 0;
            writeId(bytes, random.nextBoolean() ? clickEventId : withTagsId);
            try {
                deserializer.deserialize(TOPIC, bytes);
            } catch (final MalformedRecordException expected) {
                // Random bytes may decode; what they must never do is throw anything else, or allocate.
            }
        }
    }

    private static void prefix(final BinaryEncoder out) throws IOException {
        out.writeString("e-1");
        out.writeEnum(2);
        out.writeIndex(1);
        out.writeString("u-1");
        out.writeIndex(0);
        out.writeLong(1_795_262_400_000L);
        out.writeIndex(0);
    }

    private interface Body {
        void write(BinaryEncoder out) throws IOException;
    }

    private static byte[] record(final int schemaId, final Body body) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConfluentWireFormat.writeHeader(bytes, schemaId);
        final BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        body.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeId(final byte[] bytes, final int id) {
        bytes[1] = (byte) (id >>> 24);
        bytes[2] = (byte) (id >>> 16);
        bytes[3] = (byte) (id >>> 8);
        bytes[4] = (byte) id;
    }

    private static Schema withTags() {
        final String clickEvent = ClickEvent.getClassSchema().toString();
        return new Schema.Parser().parse(clickEvent.substring(0, clickEvent.lastIndexOf(']'))
                + ",{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"},\"default\":[]}]}");
    }
}
