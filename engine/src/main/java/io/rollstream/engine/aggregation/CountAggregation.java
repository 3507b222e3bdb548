package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Counts the events that pass the feature's filter or, given a field, those of them that have the
 * field. The result is a long, 0 when nothing was counted.
 */
public final class CountAggregation implements Aggregation<CountAggregation.Counter> {

    /** Counts every event that passes the feature's filter. */
    public static final CountAggregation INSTANCE = new CountAggregation(null);

    /** Null when every event counts. */
    private final EventField field;

    private CountAggregation(final EventField field) {
        this.field = field;
    }

    /** Counts the events whose {@code field} is present (see {@link FieldValues#present}). */
    static CountAggregation ofPresent(final EventField field) {
        return new CountAggregation(field);
    }

    /** A mutable long, so that counting does not box. */
    public static final class Counter {
        long value;
    }

    @Override
    public Counter newAccumulator() {
        return new Counter();
    }

    @Override
    public void add(final Counter accumulator, final ClickEvent event) {
        if (field == null || FieldValues.present(field, event) != null) {
            accumulator.value++;
        }
    }

    @Override
    public void merge(final Counter target, final Counter source) {
        target.value += source.value;
    }

    @Override
    public Object result(final Counter accumulator) {
        return accumulator.value;
    }

    @Override
    public void write(final Counter accumulator, final DataOutput out) throws IOException {
        VarInts.writeVarLong(out, accumulator.value);
    }

    @Override
    public Counter read(final DataInput in) throws IOException {
        final Counter counter = new Counter();
        counter.value = VarInts.readVarLong(in);
        return counter;
    }

    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        return VarInts.MAX_BYTES;
    }

    @Override
    public String toString() {
        return field == null ? "count" : "count(" + field.name() + ")";
    }
}
