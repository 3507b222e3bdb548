package io.rollstream.engine.aggregation;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Unsigned LEB128 variable-length longs: most counters and tile offsets are small, so entity
 * state stays a few bytes per tile instead of eight per number.
 */
public final class VarInts {

    /** The most bytes one varint takes: a long has 64 bits, 7 to a byte. */
    public static final int MAX_BYTES = 10;

    private VarInts() {
    }

    /** How many bytes {@link #writeVarLong} takes for {@code value}: for size bounds. */
    public static int sizeOf(final long value) {
        // One byte per started group of 7 bits; 0 still takes a byte.
        return Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
    }

    public static void writeVarLong(final DataOutput out, final long value) throws IOException {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    public static long readVarLong(final DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            final byte b = in.readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed variable-length long: more than 10 bytes");
    }

    /** Signed longs (epoch millis, differences) as zigzag varints: small magnitudes stay short whatever their sign. */
    public static void writeZigZagLong(final DataOutput out, final long value) throws IOException {
        writeVarLong(out, (value << 1) ^ (value >> 63));
    }

    public static long readZigZagLong(final DataInput in) throws IOException {
        final long zigzag = readVarLong(in);
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }
}
