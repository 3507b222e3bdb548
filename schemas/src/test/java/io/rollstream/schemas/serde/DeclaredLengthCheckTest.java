package io.rollstream.schemas.serde;

import static io.rollstream.schemas.TestSchemas.sampleEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.testing.HostileAvro;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Records that declare more than they hold are refused before Avro allocates for them. Each case
 * would make Avro allocate gigabytes (a string of 2^31 - 9 bytes, a map or array of 2^31 - 9
 * entries) if it reached the decoder: this test JVM's heap would not survive it.
 */
class DeclaredLengthCheckTest {

    private static final String TOPIC = "clickstream.events";
    private static final long HUGE = HostileAvro.HUGE;
    private static final Schema WITH_TAGS = HostileAvro.WITH_TAGS;

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient("length-check-test");
    private final ConfluentAvroDeserializer<ClickEvent> deserializer = new ConfluentAvroDeserializer<>(registry, ClickEvent.class);
    private final int clickEventId = registry.register(TOPIC + "-value", ClickEvent.getClassSchema());
    private final int withTagsId = registry.register("with-tags-value", WITH_TAGS);

    @Test
    void shouldRefuseAStringDeclaredLongerThanTheRecordBeforeDecodingIt() throws IOException {
        final byte[] record = HostileAvro.record(clickEventId, out -> {
            HostileAvro.prefix(out, "u-1");
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
        final byte[] record = HostileAvro.record(clickEventId, out -> {
            HostileAvro.prefix(out, "u-1");
            HostileAvro.nullsUpToProperties(out);
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
        final byte[] record = HostileAvro.record(withTagsId, out -> {
            HostileAvro.prefix(out, "u-1");
            HostileAvro.nullsUpToProperties(out);
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
        final byte[] negative = HostileAvro.record(clickEventId, out -> {
            out.writeLong(-5);
        });
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, negative))
                .hasMessageContaining("declares a string of -5 bytes").hasMessageContaining("at event_id");

        final byte[] block = HostileAvro.record(withTagsId, out -> {
            HostileAvro.prefix(out, "u-1");
            HostileAvro.nullsUpToProperties(out);
            out.writeLong(0);
            out.writeLong(-2);
            out.writeLong(1_000_000);
        });
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, block))
                .hasMessageContaining("declares a block of 1000000 bytes");
    }

    /**
     * Arrays of empty arrays: each inner one takes three bytes and declares a thousand items, which
     * fit in the bytes left (an item of an array of nulls takes none); only a budget over the whole
     * record keeps the walk, and Avro's reading, linear in its length.
     */
    @Test
    void shouldRefuseNestedArraysDeclaringMoreItemsInAllThanTheRecordHasBytes() throws IOException {
        final String clickEvent = ClickEvent.getClassSchema().toString();
        final Schema nested = new Schema.Parser().parse(clickEvent.substring(0, clickEvent.lastIndexOf(']'))
                + ",{\"name\":\"nested\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":\"null\"}},"
                + "\"default\":[]}]}");
        final int nestedId = registry.register("nested-value", nested);
        final byte[] record = HostileAvro.record(nestedId, out -> {
            HostileAvro.prefix(out, "u-1");
            HostileAvro.nullsUpToProperties(out);
            out.writeMapStart();
            out.setItemCount(0);
            out.writeMapEnd();
            out.writeArrayStart();
            out.setItemCount(1000);
            for (int i = 0; i < 1000; i++) {
                out.writeArrayStart();
                out.setItemCount(1000);
                for (int j = 0; j < 1000; j++) {
                    out.startItem();
                    out.writeNull();
                }
                out.writeArrayEnd();
            }
            out.writeArrayEnd();
        });

        assertThat(record.length).isLessThan(4000);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("declares more array and map items in all than");
    }

    @Test
    void shouldNameTheLargestFieldOfARecordWithoutDecodingIt() {
        final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(registry,
                SerializerOptions.forValues());
        final byte[] big = serializer.serialize(TOPIC, ClickEvent.newBuilder(sampleEvent()).setCategory("c".repeat(5000)).build());

        assertThat(deserializer.largestField(TOPIC, big)).contains("category (5003 bytes)");
        assertThat(deserializer.largestField(TOPIC, Arrays.copyOf(big, 100))).isEmpty();
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

    private static void writeId(final byte[] bytes, final int id) {
        bytes[1] = (byte) (id >>> 24);
        bytes[2] = (byte) (id >>> 16);
        bytes[3] = (byte) (id >>> 8);
        bytes[4] = (byte) id;
    }
}
