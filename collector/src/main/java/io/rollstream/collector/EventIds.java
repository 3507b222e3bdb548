package io.rollstream.collector;

import io.rollstream.schemas.ClickEvent;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Ids for events that arrive without one, derived from the event's content: the SHA-256 of its Avro encoding
 * (with an empty id and properties in key order), shaped as a UUID (version 8, RFC 9562's custom layout).
 *
 * <p>Why not a random UUID: a client whose request failed (a 503, a timeout, a lost connection) resends the
 * same body, often not knowing which events were written. The same body gives the same ids, so the pipeline,
 * which counts an event id once, counts each event once — without the client's cooperation. The price: two
 * events identical in every field, event time to the millisecond included, are one event. A client for which
 * that is wrong sends its own {@code event_id}s.
 */
final class EventIds {

    private static final DatumWriter<ClickEvent> WRITER =
            new SpecificDatumWriter<>(ClickEvent.getClassSchema(), SpecificData.getForClass(ClickEvent.class));

    private EventIds() {
    }

    /** The id of {@code event}, whose own id must be empty. */
    static String derive(final ClickEvent event) {
        final MessageDigest sha256 = sha256();
        final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(new DigestSink(sha256), null);
        try {
            WRITER.write(event, encoder);
            encoder.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("hashing an event in memory failed", e);
        }
        final ByteBuffer hash = ByteBuffer.wrap(sha256.digest());
        final long high = (hash.getLong() & ~0xF000L) | 0x8000L;                    // version 8
        final long low = (hash.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // RFC 9562 variant
        return new UUID(high, low).toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Feeds Avro's output straight into the digest, without a buffer. */
    private static final class DigestSink extends OutputStream {
        private final MessageDigest digest;

        DigestSink(final MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(final int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length) {
            digest.update(bytes, offset, length);
        }
    }
}
