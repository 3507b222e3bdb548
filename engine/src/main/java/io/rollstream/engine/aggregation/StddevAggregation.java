package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The population standard deviation of a numeric field, as a double; null when no event had the
 * field, 0.0 for a single value. Welford's running (count, mean, M2) avoids the cancellation of
 * the textbook sum-of-squares formula; Chan et al.'s pairwise update merges two such triples.
 * Merging is exact in structure but not bit-for-bit in floating point: a window split into
 * different tiles agrees to about n·ε relative to the spread of its values.
 */
final class StddevAggregation implements Aggregation<StddevAggregation.Moments> {

    private final EventField field;

    StddevAggregation(final EventField field) {
        this.field = field;
    }

    static final class Moments {
        private long count;
        private double mean;
        /** Sum of squared differences from the mean. */
        private double m2;
    }

    @Override
    public Moments newAccumulator() {
        return new Moments();
    }

    @Override
    public void add(final Moments accumulator, final ClickEvent event) {
        final double value = field.doubleValue(event);
        if (Double.isFinite(value)) {
            accumulator.count++;
            final double delta = value - accumulator.mean;
            accumulator.mean += delta / accumulator.count;
            accumulator.m2 += delta * (value - accumulator.mean);
        }
    }

    @Override
    public void merge(final Moments target, final Moments source) {
        if (source.count == 0) {
            return;
        }
        if (target.count == 0) {
            target.count = source.count;
            target.mean = source.mean;
            target.m2 = source.m2;
            return;
        }
        final double targetCount = target.count;
        final double sourceCount = source.count;
        final double count = targetCount + sourceCount;
        final double delta = source.mean - target.mean;
        target.mean += delta * (sourceCount / count);
        target.m2 += source.m2 + delta * delta * (targetCount * sourceCount / count);
        target.count += source.count;
    }

    @Override
    public Object result(final Moments accumulator) {
        // Values whose differences or squares leave the range of a double (about 1e308, 1e154)
        // make the moments infinite or NaN: no value, as for a sum.
        if (accumulator.count == 0 || !Double.isFinite(accumulator.mean) || !Double.isFinite(accumulator.m2)) {
            return null;
        }
        // M2 is a sum of non-negative terms; the max only guards against a rounding just below zero.
        return Math.sqrt(Math.max(0.0, accumulator.m2 / accumulator.count));
    }

    /** Empty: the count alone (1 byte); otherwise the count, the mean and M2. */
    @Override
    public void write(final Moments accumulator, final DataOutput out) throws IOException {
        VarInts.writeVarLong(out, accumulator.count);
        if (accumulator.count > 0) {
            out.writeDouble(accumulator.mean);
            out.writeDouble(accumulator.m2);
        }
    }

    @Override
    public Moments read(final DataInput in) throws IOException {
        final Moments moments = new Moments();
        moments.count = VarInts.readVarLong(in);
        if (moments.count > 0) {
            moments.mean = in.readDouble();
            moments.m2 = in.readDouble();
        }
        return moments;
    }

    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        return VarInts.MAX_BYTES + 2L * Double.BYTES;
    }

    @Override
    public String toString() {
        return "stddev(" + field.name() + ")";
    }
}
