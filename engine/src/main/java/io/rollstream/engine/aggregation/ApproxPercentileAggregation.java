package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * An estimate of a quantile of a numeric field, as a double; null when no event had the field.
 * A DataSketches KLL sketch per tile, tiles merged with {@link KllDoublesSketch#merge}. The answer
 * is a value of the window whose rank is within the sketch's normalized rank error of
 * {@code quantile} (1.33% at k 200, with 99% confidence, merged or not); exact while a sketch
 * holds no more than k values. Quantiles are inclusive: the smallest value v with at least
 * {@code quantile} × n values ≤ v.
 *
 * <p>Not reproducible bit for bit: KLL compacts by keeping the odd or even half of a sorted
 * level, chosen by an unseeded random coin inside DataSketches. Two replays of the same events, or
 * two reads merging the same tiles, can answer with different values of nearly the same rank.
 */
final class ApproxPercentileAggregation implements Aggregation<KllDoublesSketch> {

    static final ParamSpec QUANTILE = ParamSpec.requiredNumber("quantile", 0, 1,
            "a fraction: 0.5 for the median, 0.9 for the 90th percentile");
    static final ParamSpec K = ParamSpec.wholeNumber("k", KllSketch.DEFAULT_K, 8, KllSketch.MAX_K,
            "200 gives about 1.33% rank error; the error shrinks roughly as 1/k and the state grows with k");

    /** What {@link #maxEncodedBytes} allows one tile's sketch to count. */
    private static final long MAX_VALUES_PER_TILE = 1L << 62;

    private final EventField field;
    private final double quantile;
    private final int k;

    ApproxPercentileAggregation(final EventField field, final double quantile, final int k) {
        this.field = field;
        this.quantile = quantile;
        this.k = k;
    }

    @Override
    public KllDoublesSketch newAccumulator() {
        return KllDoublesSketch.newHeapInstance(k);
    }

    @Override
    public void add(final KllDoublesSketch accumulator, final ClickEvent event) {
        final double value = field.doubleValue(event);
        if (Double.isFinite(value)) {
            accumulator.update(value);
        }
    }

    @Override
    public void merge(final KllDoublesSketch target, final KllDoublesSketch source) {
        if (!source.isEmpty()) {
            target.merge(source);
        }
    }

    @Override
    public Object result(final KllDoublesSketch accumulator) {
        return accumulator.isEmpty() ? null : accumulator.getQuantile(quantile);
    }

    /**
     * Empty: one 0 byte; otherwise the compact KLL image with a varint length. The sketch sorts its
     * level 0 in place (and flags it) the first time it answers a query, which changes its image
     * but not its meaning; sorting it before every write gives one image per sketch, whether or
     * not it was read in between.
     */
    @Override
    public void write(final KllDoublesSketch accumulator, final DataOutput out) throws IOException {
        if (accumulator.isEmpty()) {
            VarInts.writeVarLong(out, 0);
        } else {
            accumulator.getSortedView();
            CompactIO.writeBlock(out, accumulator.toByteArray());
        }
    }

    /**
     * DataSketches' own bound on the compact image, for 2^62 values: a KLL sketch of n values
     * keeps at most its levels' capacities, and the number of levels grows with log n. 2^62
     * values in one tile would take a billion events a second for 146 years; the bound's own
     * computation fails beyond it.
     */
    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        final int image = KllSketch.getMaxSerializedSizeBytes(k, MAX_VALUES_PER_TILE,
                KllSketch.SketchType.KLL_DOUBLES_SKETCH, false);
        return VarInts.sizeOf(image) + image;
    }

    @Override
    public KllDoublesSketch read(final DataInput in) throws IOException {
        final byte[] image = CompactIO.readBlock(in);
        if (image.length == 0) {
            return newAccumulator();
        }
        try {
            return KllDoublesSketch.heapify(MemorySegment.ofArray(image));
        } catch (final SketchesException | IndexOutOfBoundsException e) {
            throw new IOException("corrupt " + this + " accumulator: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "approx_percentile(" + field.name() + ", quantile=" + quantile + ", k=" + k + ")";
    }
}
