package io.rollstream.engine.aggregation;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Strings and byte blocks in accumulators' binary forms, each prefixed with a varint length: one
 * byte of overhead for anything under 128 bytes, where {@link DataOutput#writeUTF} would spend two
 * and stop at 64 KB.
 */
final class CompactIO {

    /** Far above any accumulator this engine writes: a larger length means the bytes are corrupt. */
    private static final int MAX_BLOCK_BYTES = 64 << 20;

    private CompactIO() {
    }

    static void writeString(final DataOutput out, final String value) throws IOException {
        writeBlock(out, value.getBytes(StandardCharsets.UTF_8));
    }

    static String readString(final DataInput in) throws IOException {
        return new String(readBlock(in), StandardCharsets.UTF_8);
    }

    static void writeBlock(final DataOutput out, final byte[] block) throws IOException {
        VarInts.writeVarLong(out, block.length);
        out.write(block);
    }

    static byte[] readBlock(final DataInput in) throws IOException {
        final long length = VarInts.readVarLong(in);
        if (length < 0 || length > MAX_BLOCK_BYTES) {
            throw new IOException("corrupt accumulator: a block of " + length + " bytes");
        }
        final byte[] block = new byte[(int) length];
        in.readFully(block);
        return block;
    }
}
