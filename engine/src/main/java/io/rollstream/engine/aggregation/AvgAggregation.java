package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The mean of a numeric field, as a double; null when no event had the field. Keeps the count and
 * a compensated sum rather than a running mean, because sums and counts merge exactly.
 */
final class AvgAggregation implements Aggregation<AvgAggregation.Mean> {

    private final EventField field;

    AvgAggregation(final EventField field) {
        this.field = field;
    }

    static final class Mean {
        private long count;
        private CompensatedSum sum = new CompensatedSum();
    }

    @Override
    public Mean newAccumulator() {
        return new Mean();
    }

    @Override
    public void add(final Mean accumulator, final ClickEvent event) {
        final double value = field.doubleValue(event);
        if (Double.isFinite(value)) {
            accumulator.count++;
            accumulator.sum.add(value);
        }
    }

    @Override
    public void merge(final Mean target, final Mean source) {
        target.count += source.count;
        target.sum.add(source.sum);
    }

    @Override
    public Object result(final Mean accumulator) {
        final Double total = accumulator.sum.finiteValue();
        return accumulator.count == 0 || total == null ? null : total / accumulator.count;
    }

    /** Empty: the count alone (1 byte); otherwise the count and the 16-byte sum. */
    @Override
    public void write(final Mean accumulator, final DataOutput out) throws IOException {
        VarInts.writeVarLong(out, accumulator.count);
        if (accumulator.count > 0) {
            accumulator.sum.write(out);
        }
    }

    @Override
    public Mean read(final DataInput in) throws IOException {
        final Mean mean = new Mean();
        mean.count = VarInts.readVarLong(in);
        if (mean.count > 0) {
            mean.sum = CompensatedSum.read(in);
        }
        return mean;
    }

    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        return VarInts.MAX_BYTES + CompensatedSum.ENCODED_BYTES;
    }

    @Override
    public String toString() {
        return "avg(" + field.name() + ")";
    }
}
