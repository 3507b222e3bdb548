package io.rollstream.engine.io;

import java.io.DataInput;
import java.io.EOFException;

/**
 * A {@link DataInput} over a slice of an array, without the synchronized per-byte reads of
 * {@code DataInputStream} over a {@code ByteArrayInputStream}; reading past the slice's end is an
 * {@link EOFException}, as with a stream.
 */
public final class ByteReader implements DataInput {

    private final byte[] data;
    private int position;
    private final int end;

    public ByteReader(final byte[] data) {
        this(data, 0, data.length);
    }

    public ByteReader(final byte[] data, final int offset, final int length) {
        this.data = data;
        this.position = offset;
        this.end = offset + length;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return end - position;
    }

    private void need(final int bytes) throws EOFException {
        if (end - position < bytes) {
            throw new EOFException("needed " + bytes + " more bytes at offset " + position + ", " + (end - position)
                    + " left");
        }
    }

    @Override
    public void readFully(final byte[] b) throws EOFException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(final byte[] b, final int off, final int len) throws EOFException {
        need(len);
        System.arraycopy(data, position, b, off, len);
        position += len;
    }

    @Override
    public int skipBytes(final int n) {
        final int skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws EOFException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws EOFException {
        need(1);
        return data[position++];
    }

    @Override
    public int readUnsignedByte() throws EOFException {
        return readByte() & 0xFF;
    }

    @Override
    public short readShort() throws EOFException {
        need(2);
        final int value = (data[position] & 0xFF) << 8 | (data[position + 1] & 0xFF);
        position += 2;
        return (short) value;
    }

    @Override
    public int readUnsignedShort() throws EOFException {
        return readShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws EOFException {
        return (char) readShort();
    }

    @Override
    public int readInt() throws EOFException {
        need(4);
        final int value = (data[position] & 0xFF) << 24 | (data[position + 1] & 0xFF) << 16
                | (data[position + 2] & 0xFF) << 8 | (data[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    @Override
    public long readLong() throws EOFException {
        return (long) readInt() << 32 | (readInt() & 0xFFFFFFFFL);
    }

    @Override
    public float readFloat() throws EOFException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws EOFException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readLine() {
        throw new UnsupportedOperationException("entity state holds no text lines");
    }

    @Override
    public String readUTF() {
        throw new UnsupportedOperationException("entity state writes strings as length-prefixed UTF-8, not writeUTF");
    }
}
