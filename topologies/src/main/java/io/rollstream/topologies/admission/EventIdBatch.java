package io.rollstream.topologies.admission;

import io.rollstream.engine.io.ByteReader;
import io.rollstream.engine.io.ByteWriter;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of one dedupe log record: event ids admitted between two commits, each with the
 * stream time it arrived at.
 *
 * <pre>
 * version:byte(1)  count:int  { arrival_ms:long  id_length:int  id:UTF-8 } × count
 * </pre>
 *
 * A commit's ids are split into batches of at most {@link #MAX_BYTES} encoded, well under Kafka's
 * default 1 MB record limit for the changelog, however many events a commit covers.
 */
record EventIdBatch(List<Admitted> ids) {

    /** An event id and the stream time it was admitted at. */
    record Admitted(String id, long arrivalMs) {
    }

    static final int MAX_BYTES = 256 * 1024;
    private static final byte VERSION = 1;
    private static final int HEADER_BYTES = 1 + Integer.BYTES;
    private static final int PER_ID_BYTES = Long.BYTES + Integer.BYTES;

    EventIdBatch {
        ids = List.copyOf(ids);
    }

    /** The newest arrival in the batch: once it is past the horizon, so is every id in it. */
    long newestArrivalMs() {
        long newest = Long.MIN_VALUE;
        for (final Admitted admitted : ids) {
            newest = Math.max(newest, admitted.arrivalMs());
        }
        return newest;
    }

    /** {@code ids} in order, in as few batches of at most {@link #MAX_BYTES} encoded as they fit in. */
    static List<EventIdBatch> split(final List<Admitted> ids) {
        final List<EventIdBatch> batches = new ArrayList<>();
        int from = 0;
        int bytes = HEADER_BYTES;
        for (int i = 0; i < ids.size(); i++) {
            final int size = PER_ID_BYTES + utf8Length(ids.get(i).id());
            if (i > from && bytes + size > MAX_BYTES) {
                batches.add(new EventIdBatch(ids.subList(from, i)));
                from = i;
                bytes = HEADER_BYTES;
            }
            bytes += size;
        }
        if (from < ids.size()) {
            batches.add(new EventIdBatch(ids.subList(from, ids.size())));
        }
        return batches;
    }

    byte[] encode() {
        final ByteWriter out = new ByteWriter(HEADER_BYTES + ids.size() * 48);
        out.writeByte(VERSION);
        out.writeInt(ids.size());
        for (final Admitted admitted : ids) {
            final byte[] id = admitted.id().getBytes(StandardCharsets.UTF_8);
            out.writeLong(admitted.arrivalMs());
            out.writeInt(id.length);
            out.write(id);
        }
        return out.toByteArray();
    }

    static EventIdBatch decode(final byte[] value) {
        final ByteReader in = new ByteReader(value);
        try {
            final byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("dedupe log record of format version " + version + ", this build reads "
                        + VERSION + "; rebuild the application's state (reset it) or run a build that wrote it");
            }
            final int count = in.readInt();
            final List<Admitted> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                final long arrival = in.readLong();
                final byte[] id = new byte[in.readInt()];
                in.readFully(id);
                ids.add(new Admitted(new String(id, StandardCharsets.UTF_8), arrival));
            }
            return new EventIdBatch(ids);
        } catch (final EOFException e) {
            throw new IllegalStateException("dedupe log record cut short (" + value.length + " bytes)", e);
        }
    }

    private static int utf8Length(final String id) {
        int bytes = 0;
        for (int i = 0; i < id.length(); i++) {
            final char c = id.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
