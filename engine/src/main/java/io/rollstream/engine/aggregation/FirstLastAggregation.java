package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;

/**
 * The field's value in the event with the earliest ({@code first}) or latest ({@code last}) event
 * time: a String for STRING fields, a Double for NUMBER, a Long (epoch millis) for TIMESTAMP; null
 * when no event had the field. Events at the same millisecond are ordered by value
 * ({@link FieldValues#order}): {@code first} takes the smaller, {@code last} the larger. That tie
 * rule makes the pick a pure function of the set of events, so tiles merge exactly in any order.
 */
final class FirstLastAggregation implements Aggregation<FirstLastAggregation.Pick> {

    private final EventField field;
    private final boolean last;
    private final Comparator<Object> order;

    private FirstLastAggregation(final EventField field, final boolean last) {
        this.field = field;
        this.last = last;
        this.order = FieldValues.order(field.type());
    }

    static FirstLastAggregation first(final EventField field) {
        return new FirstLastAggregation(field, false);
    }

    static FirstLastAggregation last(final EventField field) {
        return new FirstLastAggregation(field, true);
    }

    static final class Pick {
        private long time;
        /** Null until an event with the field is seen. */
        private Object value;
    }

    @Override
    public Pick newAccumulator() {
        return new Pick();
    }

    @Override
    public void add(final Pick accumulator, final ClickEvent event) {
        final Object value = FieldValues.present(field, event);
        if (value != null) {
            offer(accumulator, event.getEventTime().toEpochMilli(), value);
        }
    }

    @Override
    public void merge(final Pick target, final Pick source) {
        if (source.value != null) {
            offer(target, source.time, source.value);
        }
    }

    private void offer(final Pick accumulator, final long time, final Object value) {
        if (accumulator.value == null || beats(time, value, accumulator.time, accumulator.value)) {
            accumulator.time = time;
            accumulator.value = value;
        }
    }

    private boolean beats(final long time, final Object value, final long heldTime, final Object heldValue) {
        if (time != heldTime) {
            return last ? time > heldTime : time < heldTime;
        }
        final int byValue = order.compare(value, heldValue);
        return last ? byValue > 0 : byValue < 0;
    }

    @Override
    public Object result(final Pick accumulator) {
        return accumulator.value;
    }

    /** Empty: one 0 byte; otherwise 1, the event time as a zigzag varint, then the typed value. */
    @Override
    public void write(final Pick accumulator, final DataOutput out) throws IOException {
        if (accumulator.value == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(1);
        VarInts.writeZigZagLong(out, accumulator.time);
        FieldValues.write(field.type(), accumulator.value, out);
    }

    @Override
    public Pick read(final DataInput in) throws IOException {
        final Pick pick = new Pick();
        final byte present = in.readByte();
        if (present == 1) {
            pick.time = VarInts.readZigZagLong(in);
            pick.value = FieldValues.read(field.type(), in);
        } else if (present != 0) {
            throw new IOException("corrupt " + this + " accumulator: presence byte " + present);
        }
        return pick;
    }

    /** The presence byte, the time and the longest value of the field's type. */
    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        return 1 + VarInts.MAX_BYTES + FieldValues.maxEncodedBytes(field.type());
    }

    @Override
    public String toString() {
        return (last ? "last(" : "first(") + field.name() + ")";
    }
}
