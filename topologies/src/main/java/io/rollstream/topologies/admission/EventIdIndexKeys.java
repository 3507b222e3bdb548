package io.rollstream.topologies.admission;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the dedupe index: an id and the stream time it arrived at, so that one key range holds
 * exactly an id's arrivals within a time span, and a batch's ids can be deleted by key without
 * reading them first.
 *
 * <pre>
 * id_length:int(big-endian)  id:UTF-8  arrival_ms:long(big-endian, sign bit flipped)
 * </pre>
 *
 * The length comes first so that no id's keys fall inside another id's range (one id cannot be a
 * prefix of another's key); arrival times sort as unsigned bytes with the sign bit flipped. The
 * key {@link #INDEXED_THROUGH}, of length -1, is no id's.
 */
final class EventIdIndexKeys {

    /** Where the index records the last log batch it holds. */
    static final Bytes INDEXED_THROUGH = Bytes.wrap(new byte[] {-1, -1, -1, -1});

    private EventIdIndexKeys() {
    }

    static Bytes of(final String id, final long arrivalMs) {
        return of(id.getBytes(StandardCharsets.UTF_8), arrivalMs);
    }

    private static Bytes of(final byte[] id, final long arrivalMs) {
        return Bytes.wrap(ByteBuffer.allocate(Integer.BYTES + id.length + Long.BYTES)
                .putInt(id.length).put(id).putLong(arrivalMs ^ Long.MIN_VALUE).array());
    }
}
