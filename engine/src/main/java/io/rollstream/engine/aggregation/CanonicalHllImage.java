package io.rollstream.engine.aggregation;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Puts the compact image of an HLL_4 sketch in one canonical form. DataSketches writes the
 * coupons of the sparse modes (LIST, SET) and HLL_4's exception entries in hash-table order,
 * which depends on the order values arrived in, so a sketch read back and written again can come
 * out permuted (measured: a third of SET-mode sketches). The engine needs one image per sketch.
 * Sorting those 4-byte entries gives it, and costs nothing on reading: heapify re-inserts every
 * entry into its own table wherever the entry sits in the image.
 *
 * <p>Offsets are those of DataSketches' cross-language HLL format, serialization version 1
 * ({@code org.apache.datasketches.hll.PreambleUtil}); an image that does not match them fails
 * loudly instead of being reordered wrongly.
 */
final class CanonicalHllImage {

    private static final int SERIAL_VERSION_BYTE = 1;
    private static final int LG_K_BYTE = 3;
    private static final int MODE_BYTE = 7;
    private static final int LIST_ENTRIES_START = 8;
    private static final int SET_ENTRIES_START = 12;
    private static final int HLL_EXCEPTION_COUNT_INT = 36;
    private static final int HLL_REGISTERS_START = 40;
    private static final int MODE_LIST = 0;
    private static final int MODE_SET = 1;
    private static final int MODE_HLL = 2;
    private static final int TYPE_HLL_4 = 0;
    private static final int ENTRY_BYTES = Integer.BYTES;

    private CanonicalHllImage() {
    }

    /**
     * The largest compact HLL_4 image of a sketch of 2^lgK registers: the dense form's header and
     * 4-bit registers, and a 4-byte exception for every register. DataSketches' own
     * {@code getMaxUpdatableSerializationBytes} allows for a typical exceptions table and says it
     * can be exceeded. A register is an exception when its value is 15 or more above the smallest
     * register's, rare for honest input, but the hash is public and unkeyed: input chosen to hit
     * every register but one with a long run of zeros makes every one an exception. The sparse
     * forms are smaller: a list of under 8 coupons, or a set of at most 3/4 × 2^(lgK - 3) coupons
     * of 4 bytes, before the sketch turns dense.
     */
    static int maxBytes(final int lgK) {
        return HLL_REGISTERS_START + (1 << lgK) / 2 + ENTRY_BYTES * (1 << lgK);
    }

    /** The image with its coupon or exception entries sorted; {@code image} itself is reordered and returned. */
    static byte[] of(final byte[] image) {
        final MemorySegment segment = MemorySegment.ofArray(image);
        final int mode = image[MODE_BYTE] & 3;
        final int type = (image[MODE_BYTE] >>> 2) & 3;
        if (image[SERIAL_VERSION_BYTE] != 1 || type != TYPE_HLL_4) {
            throw new IllegalStateException("unexpected HLL image (serialization version " + image[SERIAL_VERSION_BYTE]
                    + ", type " + type + "): the DataSketches HLL_4 format version 1 is expected");
        }
        final int start = switch (mode) {
            case MODE_LIST -> LIST_ENTRIES_START;
            case MODE_SET -> SET_ENTRIES_START;
            case MODE_HLL -> HLL_REGISTERS_START + (1 << image[LG_K_BYTE]) / 2;
            default -> throw new IllegalStateException("unexpected HLL image mode " + mode);
        };
        final int entries = (image.length - start) / ENTRY_BYTES;
        final boolean sizeMatches = mode == MODE_HLL
                ? entries == segment.get(ValueLayout.JAVA_INT_UNALIGNED, HLL_EXCEPTION_COUNT_INT)
                : (image.length - start) % ENTRY_BYTES == 0;
        if (!sizeMatches || entries < 0) {
            throw new IllegalStateException("unexpected HLL image layout (" + image.length + " bytes, mode " + mode
                    + "): the DataSketches HLL_4 format version 1 is expected");
        }
        final int[] sorted = new int[entries];
        MemorySegment.copy(segment, ValueLayout.JAVA_INT_UNALIGNED, start, sorted, 0, entries);
        Arrays.sort(sorted);
        MemorySegment.copy(sorted, 0, segment, ValueLayout.JAVA_INT_UNALIGNED, start, entries);
        return image;
    }
}
