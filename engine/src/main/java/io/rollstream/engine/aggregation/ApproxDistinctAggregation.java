package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.HllUnion;
import org.apache.datasketches.hll.TgtHllType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * An estimate of the number of distinct values of a field (as text, {@link FieldValues#text}), as
 * a long, 0 when empty: a DataSketches HyperLogLog sketch per tile, tiles merged with an
 * {@link HllUnion}. Exact (up to rare 26-bit coupon collisions) while a sketch is in its sparse
 * LIST/SET modes; after that the relative standard error is 1.04/√(2^lg_k) for merged sketches
 * (1.6% at lg_k 12) and 0.83/√(2^lg_k) for a single tile's (HIP estimator).
 */
final class ApproxDistinctAggregation implements Aggregation<ApproxDistinctAggregation.Distinct> {

    static final ParamSpec LG_K = ParamSpec.wholeNumber("lg_k", 12, 4, 21,
            "the sketch has 2^lg_k registers: 12 gives about 1.6% relative standard error, each step up "
                    + "divides the error by 1.41 and doubles the state");

    /**
     * HLL_4, not HLL_8: the state is written on every event, and once a tile's sketch is dense
     * HLL_4 takes 2^lg_k / 2 bytes (2 KB at lg_k 12) where HLL_8 takes 2^lg_k (4 KB), for the
     * same accuracy. The price, slower updates through a small exceptions table, is small next to
     * the (de)serialization the engine does per event. Sparse sketches, the common case for a
     * tile, are 4 bytes per value either way. Merging happens in the union's HLL_8 in memory.
     */
    private static final TgtHllType STORED_TYPE = TgtHllType.HLL_4;

    /**
     * DataSketches ignores empty input, but "" is a value like any other here: it is hashed as one
     * zero byte, the UTF-8 of "\u0000", a value no clickstream field is expected to hold.
     */
    private static final byte[] EMPTY_TEXT = {0};

    private final EventField field;
    private final int lgK;

    ApproxDistinctAggregation(final EventField field, final int lgK) {
        this.field = field;
        this.lgK = lgK;
    }

    static final class Distinct {
        /** What {@code add} folds into; null once this accumulator has been merged into. */
        private HllSketch sketch;
        /**
         * Created by the first merge into this accumulator. A read merges dozens of tiles into one
         * accumulator: keeping the union avoids converting between HLL_8 and HLL_4 at every merge.
         */
        private HllUnion union;

        private Distinct(final HllSketch sketch) {
            this.sketch = sketch;
        }

        private void update(final String text) {
            if (text.isEmpty()) {
                if (union == null) {
                    sketch.update(EMPTY_TEXT);
                } else {
                    union.update(EMPTY_TEXT);
                }
            } else if (union == null) {
                sketch.update(text);
            } else {
                union.update(text);
            }
        }

        private boolean isEmpty() {
            return union == null ? sketch.isEmpty() : union.isEmpty();
        }

        private double estimate() {
            return union == null ? sketch.getEstimate() : union.getEstimate();
        }
    }

    @Override
    public Distinct newAccumulator() {
        return new Distinct(new HllSketch(lgK, STORED_TYPE));
    }

    @Override
    public void add(final Distinct accumulator, final ClickEvent event) {
        final Object value = FieldValues.present(field, event);
        if (value != null) {
            accumulator.update(FieldValues.text(value));
        }
    }

    /**
     * Merges the two sketches as their stored images read back, not as they sit in memory: a union
     * fed a sparse sketch takes its coupons one by one and may keep the in-order (HIP) estimator,
     * whose value depends on that order; images order the coupons canonically, so a tile merges
     * the same whether it was just folded or read from the store.
     */
    @Override
    public void merge(final Distinct target, final Distinct source) {
        if (source.isEmpty()) {
            return;
        }
        if (target.union == null) {
            final HllUnion union = new HllUnion(lgK);
            if (!target.sketch.isEmpty()) {
                union.update(HllSketch.heapify(MemorySegment.ofArray(image(target))));
            }
            target.union = union;
            target.sketch = null;
        }
        target.union.update(HllSketch.heapify(MemorySegment.ofArray(image(source))));
    }

    @Override
    public Object result(final Distinct accumulator) {
        return Math.round(accumulator.estimate());
    }

    /** Empty: one 0 byte; otherwise the canonical compact HLL_4 image with a varint length. */
    @Override
    public void write(final Distinct accumulator, final DataOutput out) throws IOException {
        if (accumulator.isEmpty()) {
            VarInts.writeVarLong(out, 0);
        } else {
            CompactIO.writeBlock(out, image(accumulator));
        }
    }

    private static byte[] image(final Distinct accumulator) {
        final HllSketch stored = accumulator.union == null ? accumulator.sketch : accumulator.union.getResult(STORED_TYPE);
        return CanonicalHllImage.of(stored.toCompactByteArray());
    }

    /** The image at its largest, see {@link CanonicalHllImage#maxBytes}, and its length. */
    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        final int image = CanonicalHllImage.maxBytes(lgK);
        return VarInts.sizeOf(image) + image;
    }

    @Override
    public Distinct read(final DataInput in) throws IOException {
        final byte[] image = CompactIO.readBlock(in);
        if (image.length == 0) {
            return newAccumulator();
        }
        final HllSketch sketch;
        try {
            sketch = HllSketch.heapify(MemorySegment.ofArray(image));
        } catch (final SketchesException | IndexOutOfBoundsException e) {
            throw new IOException("corrupt " + this + " accumulator: " + e.getMessage(), e);
        }
        if (sketch.getLgConfigK() != lgK || sketch.getTgtHllType() != STORED_TYPE) {
            throw new IOException("corrupt " + this + " accumulator: a sketch of lg_k " + sketch.getLgConfigK()
                    + ", type " + sketch.getTgtHllType());
        }
        return new Distinct(sketch);
    }

    @Override
    public String toString() {
        return "approx_distinct(" + field.name() + ", lg_k=" + lgK + ")";
    }
}
