package io.rollstream.bench.serving;

import io.rollstream.schemas.ClickEvent;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PreEncodedEventsTest {

    /** The Confluent wire format with a fixed schema id, no registry needed. */
    private static final Serializer<ClickEvent> WIRE = (topic, event) -> {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, 0, 7});
        try {
            final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<ClickEvent>(ClickEvent.getClassSchema(), SpecificData.getForClass(ClickEvent.class))
                    .write(event, encoder);
            encoder.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    };

    private static final Deserializer<ClickEvent> FROM_WIRE = (topic, bytes) -> {
        try {
            return new SpecificDatumReader<ClickEvent>(ClickEvent.getClassSchema(), ClickEvent.getClassSchema(),
                    SpecificData.getForClass(ClickEvent.class))
                    .read(null, DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 5, bytes.length), null));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    @Test
    void shouldEncodeLongsAsAvroDoes() throws IOException {
        for (final long value : new long[] {0, 1, -1, 63, 64, 1_795_238_874_774L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            encoder.writeLong(value);
            encoder.flush();
            assertThat(PreEncodedEvents.varint(value)).as("varint of %d", value).isEqualTo(out.toByteArray());
        }
    }

    @Test
    void shouldGiveEverySendItsOwnIdAndTheCurrentTimeWithEverythingElseIntact() {
        final PreEncodedEvents events = PreEncodedEvents.encode(50, 20, 3, "t", WIRE);
        events.verify(FROM_WIRE, "t");
        final long now = System.currentTimeMillis();

        final ClickEvent first = FROM_WIRE.deserialize("t", events.value(7, now));
        final ClickEvent again = FROM_WIRE.deserialize("t", events.value(57, now + 5));

        assertThat(first.getEventId()).isEqualTo("evt-0000000000000007");
        assertThat(again.getEventId()).isEqualTo("evt-0000000000000039");
        assertThat(first.getEventTime()).isEqualTo(Instant.ofEpochMilli(now));
        assertThat(again.getEventTime()).isEqualTo(Instant.ofEpochMilli(now + 5));
        assertThat(again.getUserId()).isEqualTo(first.getUserId()).isEqualTo(events.key(7));
        assertThat(again.getEventType()).isEqualTo(first.getEventType());
    }
}
