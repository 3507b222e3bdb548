package io.rollstream.engine.io;

import java.io.DataOutput;
import java.util.Arrays;

/**
 * A {@link DataOutput} into a growable array, reused from one record to the next. State is
 * encoded at every commit, so the writer avoids what {@code DataOutputStream} over a
 * {@code ByteArrayOutputStream} costs per byte: a synchronized call and a capacity check through
 * two layers of streams.
 */
public final class ByteWriter implements DataOutput {

    private byte[] buffer;
    private int size;

    public ByteWriter(final int initialCapacity) {
        this.buffer = new byte[Math.max(16, initialCapacity)];
    }

    /** Forgets what was written; the buffer is kept. */
    public void reset() {
        size = 0;
    }

    public int size() {
        return size;
    }

    /** A copy of what was written since the last reset. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(final int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    @Override
    public void write(final int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(final byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(final byte[] b, final int off, final int len) {
        ensure(len);
        System.arraycopy(b, off, buffer, size, len);
        size += len;
    }

    @Override
    public void writeBoolean(final boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(final int v) {
        write(v);
    }

    @Override
    public void writeShort(final int v) {
        ensure(2);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
    }

    @Override
    public void writeChar(final int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(final int v) {
        ensure(4);
        buffer[size++] = (byte) (v >>> 24);
        buffer[size++] = (byte) (v >>> 16);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
    }

    @Override
    public void writeLong(final long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    @Override
    public void writeFloat(final float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(final double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(final String s) {
        for (int i = 0; i < s.length(); i++) {
            write(s.charAt(i));
        }
    }

    @Override
    public void writeChars(final String s) {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    /** Entity state writes strings as varint-prefixed UTF-8 (see {@code CompactIO}), never modified UTF-8. */
    @Override
    public void writeUTF(final String s) {
        throw new UnsupportedOperationException("entity state writes strings as length-prefixed UTF-8, not writeUTF");
    }
}
