package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.engine.field.FieldType;
import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;

/**
 * The one place that says how aggregations treat event values: which count as present, how
 * values of each field type are ordered and written, and the text form that the value-set kinds
 * ({@code last_k}, {@code top_k}, {@code approx_distinct}) keep.
 */
final class FieldValues {

    /** Doubles up to 2^53 are whole numbers exactly, so they print as longs without loss. */
    private static final double LARGEST_EXACT_WHOLE = 0x1p53;

    private static final Comparator<Object> NUMBER_ORDER = (a, b) -> Double.compare((Double) a, (Double) b);
    private static final Comparator<Object> TIMESTAMP_ORDER = (a, b) -> Long.compare((Long) a, (Long) b);
    private static final Comparator<Object> STRING_ORDER = (a, b) -> ((String) a).compareTo((String) b);

    private FieldValues() {
    }

    /**
     * The field's value, or null when the event does not have it. NaN and infinite numbers count
     * as absent: they have no JSON form, and one of them would turn a sum or a mean into NaN for
     * the whole window.
     */
    static Object present(final EventField field, final ClickEvent event) {
        final Object value = field.value(event);
        return value instanceof Double number && !Double.isFinite(number) ? null : value;
    }

    /**
     * The value as text: strings as they are, timestamps as epoch milliseconds, whole numbers
     * without a fraction ({@code 2}, not {@code 2.0}, so a quantity reads the same as it was sent)
     * and other numbers in Java's shortest round-trip form.
     */
    static String text(final Object value) {
        if (value instanceof Double number) {
            final double d = number;
            return d == Math.rint(d) && Math.abs(d) <= LARGEST_EXACT_WHOLE ? Long.toString((long) d) : Double.toString(d);
        }
        return value.toString();
    }

    /**
     * A total order on the values of a field type: strings lexicographically (Java's UTF-16 order),
     * numbers numerically ({@link Double#compare}: -0.0 before 0.0), timestamps chronologically.
     */
    static Comparator<Object> order(final FieldType type) {
        return switch (type) {
            case NUMBER -> NUMBER_ORDER;
            case TIMESTAMP -> TIMESTAMP_ORDER;
            case STRING -> STRING_ORDER;
        };
    }

    static void write(final FieldType type, final Object value, final DataOutput out) throws IOException {
        switch (type) {
            case NUMBER -> out.writeDouble((Double) value);
            case TIMESTAMP -> VarInts.writeZigZagLong(out, (Long) value);
            case STRING -> CompactIO.writeString(out, (String) value);
        }
    }

    static Object read(final FieldType type, final DataInput in) throws IOException {
        return switch (type) {
            case NUMBER -> in.readDouble();
            case TIMESTAMP -> VarInts.readZigZagLong(in);
            case STRING -> CompactIO.readString(in);
        };
    }
}
