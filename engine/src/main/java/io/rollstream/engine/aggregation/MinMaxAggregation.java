package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The smallest or largest value of a numeric field, as a double; null when no event had the field.
 * {@link Math#min}/{@link Math#max} order -0.0 before 0.0, so the answer does not depend on the
 * order events or tiles arrive in.
 */
final class MinMaxAggregation implements Aggregation<MinMaxAggregation.Extreme> {

    private final EventField field;
    private final boolean max;

    private MinMaxAggregation(final EventField field, final boolean max) {
        this.field = field;
        this.max = max;
    }

    static MinMaxAggregation min(final EventField field) {
        return new MinMaxAggregation(field, false);
    }

    static MinMaxAggregation max(final EventField field) {
        return new MinMaxAggregation(field, true);
    }

    /** NaN until a value is seen: NaN never comes from an event (non-finite values are skipped). */
    static final class Extreme {
        private double value = Double.NaN;
    }

    @Override
    public Extreme newAccumulator() {
        return new Extreme();
    }

    @Override
    public void add(final Extreme accumulator, final ClickEvent event) {
        final double value = field.doubleValue(event);
        if (Double.isFinite(value)) {
            offer(accumulator, value);
        }
    }

    @Override
    public void merge(final Extreme target, final Extreme source) {
        if (!Double.isNaN(source.value)) {
            offer(target, source.value);
        }
    }

    private void offer(final Extreme accumulator, final double value) {
        if (Double.isNaN(accumulator.value)) {
            accumulator.value = value;
        } else {
            accumulator.value = max ? Math.max(accumulator.value, value) : Math.min(accumulator.value, value);
        }
    }

    @Override
    public Object result(final Extreme accumulator) {
        return Double.isNaN(accumulator.value) ? null : accumulator.value;
    }

    /** 8 bytes; NaN (written canonically by {@link DataOutput#writeDouble}) stands for empty. */
    @Override
    public void write(final Extreme accumulator, final DataOutput out) throws IOException {
        out.writeDouble(accumulator.value);
    }

    @Override
    public Extreme read(final DataInput in) throws IOException {
        final Extreme extreme = new Extreme();
        extreme.value = in.readDouble();
        return extreme;
    }

    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        return Double.BYTES;
    }

    @Override
    public String toString() {
        return (max ? "max(" : "min(") + field.name() + ")";
    }
}
