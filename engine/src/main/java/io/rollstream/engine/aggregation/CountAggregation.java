package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Counts the events that pass the feature's filter. */
public final class CountAggregation implements Aggregation<CountAggregation.Counter> {

    public static final CountAggregation INSTANCE = new CountAggregation();

    private CountAggregation() {
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
        accumulator.value++;
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
}
