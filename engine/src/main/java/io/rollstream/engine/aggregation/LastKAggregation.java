package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The k most recent distinct values of a field (as text, {@link FieldValues#text}), most recent
 * first: values ranked by the latest event time each was seen at, ties broken by value ascending.
 * The result is a list of strings, empty when no event had the field.
 *
 * <p>Exact under tile merging. Each tile keeps its own top k by that ranking, and a merge offers
 * the source's entries to the target as if they were events. No value of the window's true top k
 * can be missing from the tiles: take such a value v and the tile T holding its latest time t_v.
 * Within T, v's latest time is t_v, and every value ranked above v in T was seen in T at a time
 * that ranks above (t_v, v), so it also ranks above v in the window; fewer than k values rank above
 * v in the window, hence fewer than k in T, and T kept v with its true latest time. A merged
 * accumulator is itself the top k of the union of its tiles, so the argument applies again when it
 * is merged further.
 */
final class LastKAggregation implements Aggregation<LastKAggregation.Recent> {

    static final ParamSpec K = ParamSpec.wholeNumber("k", 10, 1, 1000,
            "each tile keeps up to k values, written to the state store on every event");

    private final EventField field;
    private final int k;

    LastKAggregation(final EventField field, final int k) {
        this.field = field;
        this.k = k;
    }

    /** Values with their latest times, in ranking order; parallel arrays so that adding does not allocate. */
    static final class Recent {
        private final String[] values;
        private final long[] times;
        private int size;

        private Recent(final int k) {
            values = new String[k];
            times = new long[k];
        }
    }

    @Override
    public Recent newAccumulator() {
        return new Recent(k);
    }

    @Override
    public void add(final Recent accumulator, final ClickEvent event) {
        final Object value = FieldValues.present(field, event);
        if (value != null) {
            offer(accumulator, FieldValues.text(value), event.getEventTime().toEpochMilli());
        }
    }

    @Override
    public void merge(final Recent target, final Recent source) {
        for (int i = 0; i < source.size; i++) {
            offer(target, source.values[i], source.times[i]);
        }
    }

    private void offer(final Recent recent, final String value, final long time) {
        final int held = indexOf(recent, value);
        if (held >= 0) {
            if (time <= recent.times[held]) {
                return;
            }
            remove(recent, held);
        } else if (recent.size == k) {
            if (!ranksBefore(time, value, recent.times[k - 1], recent.values[k - 1])) {
                return;
            }
            recent.size--;
        }
        insert(recent, value, time);
    }

    private static int indexOf(final Recent recent, final String value) {
        for (int i = 0; i < recent.size; i++) {
            if (recent.values[i].equals(value)) {
                return i;
            }
        }
        return -1;
    }

    private static void remove(final Recent recent, final int index) {
        final int after = recent.size - index - 1;
        System.arraycopy(recent.values, index + 1, recent.values, index, after);
        System.arraycopy(recent.times, index + 1, recent.times, index, after);
        recent.size--;
        recent.values[recent.size] = null;
    }

    private static void insert(final Recent recent, final String value, final long time) {
        int at = recent.size;
        while (at > 0 && ranksBefore(time, value, recent.times[at - 1], recent.values[at - 1])) {
            at--;
        }
        System.arraycopy(recent.values, at, recent.values, at + 1, recent.size - at);
        System.arraycopy(recent.times, at, recent.times, at + 1, recent.size - at);
        recent.values[at] = value;
        recent.times[at] = time;
        recent.size++;
    }

    private static boolean ranksBefore(final long time, final String value, final long otherTime, final String otherValue) {
        return time != otherTime ? time > otherTime : value.compareTo(otherValue) < 0;
    }

    @Override
    public Object result(final Recent accumulator) {
        return List.of(Arrays.copyOf(accumulator.values, accumulator.size));
    }

    /**
     * The count, the values, then the times newest first: the first as a zigzag varint, each next
     * one as its (non-negative) distance from the previous, usually a byte or three.
     */
    @Override
    public void write(final Recent accumulator, final DataOutput out) throws IOException {
        VarInts.writeVarLong(out, accumulator.size);
        for (int i = 0; i < accumulator.size; i++) {
            CompactIO.writeString(out, accumulator.values[i]);
        }
        for (int i = 0; i < accumulator.size; i++) {
            if (i == 0) {
                VarInts.writeZigZagLong(out, accumulator.times[0]);
            } else {
                VarInts.writeVarLong(out, accumulator.times[i - 1] - accumulator.times[i]);
            }
        }
    }

    @Override
    public Recent read(final DataInput in) throws IOException {
        final long size = VarInts.readVarLong(in);
        if (size < 0 || size > k) {
            throw new IOException("corrupt " + this + " accumulator: " + size + " values");
        }
        final Recent recent = new Recent(k);
        recent.size = (int) size;
        for (int i = 0; i < recent.size; i++) {
            recent.values[i] = CompactIO.readString(in);
        }
        for (int i = 0; i < recent.size; i++) {
            recent.times[i] = i == 0 ? VarInts.readZigZagLong(in) : recent.times[i - 1] - VarInts.readVarLong(in);
        }
        return recent;
    }

    /** k of the longest texts of the field's type; times after the first differ by less than the tile's width. */
    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        return VarInts.sizeOf(k) + (long) k * FieldValues.maxEncodedTextBytes(field.type())
                + VarInts.MAX_BYTES + (k - 1L) * VarInts.sizeOf(tileWidthMs - 1);
    }

    @Override
    public String toString() {
        return "last_k(" + field.name() + ", k=" + k + ")";
    }
}
