package io.rollstream.bench.serving;

import io.rollstream.generator.ClickstreamModel;
import io.rollstream.schemas.ClickEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Events encoded once, before the clock starts, so that producing 20 000 a second costs a copy and
 * two patches rather than an Avro encoding each: a pool of the {@link ClickstreamModel}'s events
 * (Zipf users and items, funnels) in the Confluent wire format, whose {@code event_id} (fixed width,
 * {@code evt-} and 16 hex digits) and {@code event_time} (a zig-zag varint, 6 bytes for any instant
 * between 1970 and 2039) are rewritten in place for every send. Every event sent is therefore
 * distinct to the pipeline's dedupe and current to its windows.
 */
final class PreEncodedEvents {

    private static final int ID_DIGITS = 16;
    private static final int TIME_BYTES = 6;

    private final byte[][] pool;
    private final String[] keys;
    private final int[] idOffsets;
    private final int[] timeOffsets;

    private PreEncodedEvents(final byte[][] pool, final String[] keys, final int[] idOffsets, final int[] timeOffsets) {
        this.pool = pool;
        this.keys = keys;
        this.idOffsets = idOffsets;
        this.timeOffsets = timeOffsets;
    }

    static PreEncodedEvents encode(final int size, final int users, final long seed, final String topic,
                                   final Serializer<ClickEvent> serializer) {
        final ClickstreamModel model = new ClickstreamModel(seed, users, Math.max(100, users / 5));
        final byte[][] pool = new byte[size][];
        final String[] keys = new String[size];
        final int[] idOffsets = new int[size];
        final int[] timeOffsets = new int[size];
        // Any instant with a 6-byte varint works as the placeholder; one that cannot be mistaken for other bytes.
        final Instant placeholder = Instant.ofEpochMilli(0x0F0F0F0F0F0L);
        final byte[] placeholderBytes = varint(placeholder.toEpochMilli());
        for (int i = 0; i < size; i++) {
            final ClickEvent event = model.next(placeholder);
            final String id = "evt-" + hex(i);
            event.setEventId(id);
            final byte[] bytes = serializer.serialize(topic, event);
            idOffsets[i] = indexOf(bytes, id.getBytes(StandardCharsets.US_ASCII), 0) + 4;
            timeOffsets[i] = indexOf(bytes, placeholderBytes, idOffsets[i] + ID_DIGITS);
            if (idOffsets[i] < 4 || timeOffsets[i] < 0 || indexOf(bytes, placeholderBytes, timeOffsets[i] + 1) >= 0) {
                throw new IllegalStateException("cannot locate event_id and event_time in the encoding of " + event);
            }
            pool[i] = bytes;
            keys[i] = event.getUserId();
        }
        return new PreEncodedEvents(pool, keys, idOffsets, timeOffsets);
    }

    /** The user id (the record key) of the event that {@code sequence} sends. */
    String key(final long sequence) {
        return keys[(int) (sequence % pool.length)];
    }

    /** A copy of the pool's event for {@code sequence}, with event id {@code evt-<sequence in hex>} and the given time. */
    byte[] value(final long sequence, final long eventTimeMillis) {
        final int slot = (int) (sequence % pool.length);
        final byte[] bytes = pool[slot].clone();
        final int idAt = idOffsets[slot];
        long rest = sequence;
        for (int digit = ID_DIGITS - 1; digit >= 0; digit--) {
            bytes[idAt + digit] = (byte) Character.forDigit((int) (rest & 0xF), 16);
            rest >>>= 4;
        }
        final byte[] time = varint(eventTimeMillis);
        if (time.length == TIME_BYTES) {
            System.arraycopy(time, 0, bytes, timeOffsets[slot], TIME_BYTES);
        }
        return bytes;
    }

    /** Decodes a patched event back, to prove the patching keeps the encoding valid; throws otherwise. */
    void verify(final Deserializer<ClickEvent> deserializer, final String topic) {
        final long now = System.currentTimeMillis();
        final ClickEvent event = deserializer.deserialize(topic, value(0xABCDEFL, now));
        if (!event.getEventId().equals("evt-" + hex(0xABCDEFL)) || event.getEventTime().toEpochMilli() != now) {
            throw new IllegalStateException("a pre-encoded event decodes to " + event.getEventId() + " at "
                    + event.getEventTime() + " after patching, not evt-" + hex(0xABCDEFL) + " at " + Instant.ofEpochMilli(now));
        }
    }

    private static String hex(final long value) {
        final String digits = Long.toHexString(value);
        return "0".repeat(ID_DIGITS - digits.length()) + digits;
    }

    /** Avro's encoding of a long: zig-zag, then 7 bits a byte, least significant first. */
    static byte[] varint(final long value) {
        long n = (value << 1) ^ (value >> 63);
        final byte[] out = new byte[10];
        int length = 0;
        while ((n & ~0x7FL) != 0) {
            out[length++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out[length++] = (byte) n;
        return Arrays.copyOf(out, length);
    }

    private static int indexOf(final byte[] haystack, final byte[] needle, final int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
