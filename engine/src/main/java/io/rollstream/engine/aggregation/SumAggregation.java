package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The sum of a numeric field, as a double; 0.0 when no event had the field. */
final class SumAggregation implements Aggregation<CompensatedSum> {

    private final EventField field;

    SumAggregation(final EventField field) {
        this.field = field;
    }

    @Override
    public CompensatedSum newAccumulator() {
        return new CompensatedSum();
    }

    @Override
    public void add(final CompensatedSum accumulator, final ClickEvent event) {
        final double value = field.doubleValue(event);
        if (Double.isFinite(value)) {
            accumulator.add(value);
        }
    }

    @Override
    public void merge(final CompensatedSum target, final CompensatedSum source) {
        target.add(source);
    }

    @Override
    public Object result(final CompensatedSum accumulator) {
        return accumulator.finiteValue();
    }

    @Override
    public void write(final CompensatedSum accumulator, final DataOutput out) throws IOException {
        accumulator.write(out);
    }

    @Override
    public CompensatedSum read(final DataInput in) throws IOException {
        return CompensatedSum.read(in);
    }

    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        return CompensatedSum.ENCODED_BYTES;
    }

    @Override
    public String toString() {
        return "sum(" + field.name() + ")";
    }
}
