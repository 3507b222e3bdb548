package io.rollstream.engine.aggregation;

import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.common.Family;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.FrequentItemsSketch;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Comparator;

/**
 * What a DataSketches frequent-items sketch holds, apart from the layout of its hash table: the
 * table size, the stream weight, the maximum error (the total count purged so far) and each
 * tracked item with its counter, items sorted.
 *
 * <p>Why this exists: the sketch's own behaviour depends on its table layout, which depends on
 * the order items arrived in. A purge (when the table is full) decrements every counter by the
 * median of the first counters in table order, and its own serialization lists items in table
 * order, which a read does not reproduce. Rebuilding the sketch from this content gives one
 * layout per content, so a sketch read back from its bytes, the one that stayed in memory and the
 * one rebuilt by a replay all purge alike.
 *
 * <p>It also keeps a sketch whose purge removed every counter (all counts equal) intact:
 * DataSketches then calls the sketch empty, serializes it as empty and skips it in merges, losing
 * the maximum error it must still report.
 */
final class FrequentItemsContent {

    private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();
    private static final int SERIAL_VERSION = 1;
    private static final int PREAMBLE_BYTES = Family.FREQUENCY.getMaxPreLongs() * Long.BYTES;
    private static final int MIN_LG_MAP_SIZE = 3;

    final int lgCurrentMapSize;
    final long streamWeight;
    final long maximumError;
    final String[] items;
    final long[] counts;

    private FrequentItemsContent(final int lgCurrentMapSize, final long streamWeight, final long maximumError,
                                 final String[] items, final long[] counts) {
        this.lgCurrentMapSize = lgCurrentMapSize;
        this.streamWeight = streamWeight;
        this.maximumError = maximumError;
        this.items = items;
        this.counts = counts;
    }

    static FrequentItemsContent of(final FrequentItemsSketch<String> sketch) {
        // Threshold 0 is raised to the maximum error, and every tracked item's upper bound (its
        // counter plus that error) reaches it: this lists every tracked item with its counter.
        final FrequentItemsSketch.Row<String>[] rows = sketch.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES);
        Arrays.sort(rows, Comparator.comparing(FrequentItemsSketch.Row<String>::getItem));
        final String[] items = new String[rows.length];
        final long[] counts = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            items[i] = rows[i].getItem();
            counts[i] = rows[i].getLowerBound();
        }
        // The capacity is 3/4 of the table size, a power of 2 from 8.
        final int lgCurrentMapSize = Integer.numberOfTrailingZeros(sketch.getCurrentMapCapacity() * 4 / 3);
        return new FrequentItemsContent(lgCurrentMapSize, sketch.getStreamLength(), sketch.getMaximumError(), items, counts);
    }

    /** This content with the stream weight a merge owes and the merged sketch's maximum error added. */
    FrequentItemsContent withWeightAndAddedError(final long weight, final long addedError) {
        return new FrequentItemsContent(lgCurrentMapSize, weight, maximumError + addedError, items, counts);
    }

    /**
     * A sketch holding exactly this content, through the sketch's own deserializer: the only way
     * to set its maximum error. The image follows DataSketches' frequencies PreambleUtil
     * (serialization version 1): a 32-byte preamble, the counters, then the items.
     */
    FrequentItemsSketch<String> toSketch(final int maxMapSize) {
        if (streamWeight == 0) {
            return new FrequentItemsSketch<>(maxMapSize);
        }
        final byte[] itemBytes = SERDE.serializeToByteArray(items);
        final byte[] image = new byte[PREAMBLE_BYTES + counts.length * Long.BYTES + itemBytes.length];
        final MemorySegment segment = MemorySegment.ofArray(image);
        segment.set(ValueLayout.JAVA_BYTE, 0, (byte) Family.FREQUENCY.getMaxPreLongs());
        segment.set(ValueLayout.JAVA_BYTE, 1, (byte) SERIAL_VERSION);
        segment.set(ValueLayout.JAVA_BYTE, 2, (byte) Family.FREQUENCY.getID());
        segment.set(ValueLayout.JAVA_BYTE, 3, (byte) Integer.numberOfTrailingZeros(maxMapSize));
        segment.set(ValueLayout.JAVA_BYTE, 4, (byte) lgCurrentMapSize);
        // byte 5, the flags, stays 0: not empty, even with no counter left, so the error is kept.
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, 8, counts.length);
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, streamWeight);
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, 24, maximumError);
        MemorySegment.copy(counts, 0, segment, ValueLayout.JAVA_LONG_UNALIGNED, PREAMBLE_BYTES, counts.length);
        MemorySegment.copy(itemBytes, 0, segment, ValueLayout.JAVA_BYTE,
                PREAMBLE_BYTES + (long) counts.length * Long.BYTES, itemBytes.length);
        return FrequentItemsSketch.getInstance(segment, SERDE);
    }

    /**
     * Never-updated: the stream weight 0 alone (1 byte). Otherwise the weight, the table size,
     * the maximum error and the item count as varints, then each item (varint length, UTF-8) and
     * its counter (varint): a fraction of DataSketches' own form, which spends 8 bytes per
     * counter, 4 per item length and 32 on the preamble.
     */
    void write(final DataOutput out) throws IOException {
        VarInts.writeVarLong(out, streamWeight);
        if (streamWeight == 0) {
            return;
        }
        VarInts.writeVarLong(out, lgCurrentMapSize);
        VarInts.writeVarLong(out, maximumError);
        VarInts.writeVarLong(out, items.length);
        for (int i = 0; i < items.length; i++) {
            CompactIO.writeString(out, items[i]);
            VarInts.writeVarLong(out, counts[i]);
        }
    }

    /**
     * The most bytes {@link #write} takes for a sketch of {@code maxMapSize}, each item taking at
     * most {@code maxItemBytes}: weight, table size, error and item count, then the most items the
     * table holds (3/4 of its size: an update that goes past it grows or purges the table) with
     * their counters.
     */
    static long maxEncodedBytes(final int maxMapSize, final int maxItemBytes) {
        final int maxItems = maxMapSize / 4 * 3;
        return 3L * VarInts.MAX_BYTES + VarInts.sizeOf(maxItems)
                + (long) maxItems * (maxItemBytes + VarInts.MAX_BYTES);
    }

    /** @throws IOException when the bytes are not a content of a sketch with {@code maxMapSize} */
    static FrequentItemsContent read(final DataInput in, final int maxMapSize) throws IOException {
        final long streamWeight = VarInts.readVarLong(in);
        if (streamWeight == 0) {
            return new FrequentItemsContent(MIN_LG_MAP_SIZE, 0, 0, new String[0], new long[0]);
        }
        final long lgCurrentMapSize = VarInts.readVarLong(in);
        final long maximumError = VarInts.readVarLong(in);
        final long size = VarInts.readVarLong(in);
        final int lgMaxMapSize = Integer.numberOfTrailingZeros(maxMapSize);
        if (lgCurrentMapSize < MIN_LG_MAP_SIZE || lgCurrentMapSize > lgMaxMapSize
                || size < 0 || size > (3L << lgCurrentMapSize) / 4) {
            throw new IOException("corrupt frequent-items accumulator: table 2^" + lgCurrentMapSize + " with "
                    + size + " items for a maximum table of " + maxMapSize);
        }
        final String[] items = new String[(int) size];
        final long[] counts = new long[(int) size];
        for (int i = 0; i < size; i++) {
            items[i] = CompactIO.readString(in);
            counts[i] = VarInts.readVarLong(in);
        }
        return new FrequentItemsContent((int) lgCurrentMapSize, streamWeight, maximumError, items, counts);
    }

    /** {@link #toSketch} for bytes read from storage: a failure means the bytes are corrupt. */
    FrequentItemsSketch<String> toSketchFromStorage(final int maxMapSize) throws IOException {
        try {
            return toSketch(maxMapSize);
        } catch (final SketchesException | IndexOutOfBoundsException e) {
            throw new IOException("corrupt frequent-items accumulator: " + e.getMessage(), e);
        }
    }
}
