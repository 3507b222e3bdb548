package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.engine.field.FieldType;
import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;

/**
 * The one place that says how aggregations treat event values: which count as present, how long
 * a kept text may be, how values of each field type are ordered and written, and the text form
 * that the value-set kinds ({@code last_k}, {@code top_k}, {@code approx_distinct}) keep.
 */
public final class FieldValues {

    /**
     * The most bytes (UTF-8) of one string value that any aggregation sees: a longer value is cut
     * before the first code point that would not fit, so no half of a surrogate pair is ever kept,
     * and the cut value is what {@code first}, {@code last}, {@code last_k} and {@code top_k} keep
     * and {@code approx_distinct} hashes. 256 ASCII characters, 128 accented or Cyrillic ones, 85
     * CJK ones, 64 emoji.
     *
     * <p>Why the engine cuts, although the event contract bounds its fields too: the engine is
     * also fed by offline tools and other callers, and its state must fit a Kafka record whatever
     * it is given. One 600 000-character category kept by a {@code last} feature made a 1.2 MB
     * changelog record, over the producer's 1 MiB limit, and the stream thread died on it in a
     * loop. With every kept text bounded, every accumulator has a size bound
     * ({@link Aggregation#maxEncodedBytes}). Why bytes rather than characters: the bound is in
     * bytes, and counting characters would have to allow 3 bytes for each.
     */
    public static final int MAX_TEXT_BYTES = 256;

    /**
     * The longest {@link #text} of a number: {@link Double#toString} of a negative double with 17
     * significant digits and a three-digit exponent, {@code -2.2250738585072014E-308}.
     */
    static final int MAX_NUMBER_TEXT_BYTES = 24;

    /** The longest {@link #text} of a timestamp: {@link Long#toString} of {@link Long#MIN_VALUE}. */
    static final int MAX_TIMESTAMP_TEXT_BYTES = 20;

    /** Doubles up to 2^53 are whole numbers exactly, so they print as longs without loss. */
    private static final double LARGEST_EXACT_WHOLE = 0x1p53;

    private static final Comparator<Object> NUMBER_ORDER = (a, b) -> Double.compare((Double) a, (Double) b);
    private static final Comparator<Object> TIMESTAMP_ORDER = (a, b) -> Long.compare((Long) a, (Long) b);
    private static final Comparator<Object> STRING_ORDER = (a, b) -> ((String) a).compareTo((String) b);

    private FieldValues() {
    }

    /**
     * The field's value, or null when the event does not have it; a string cut to
     * {@link #MAX_TEXT_BYTES}. NaN and infinite numbers count as absent: they have no JSON form,
     * and one of them would turn a sum or a mean into NaN for the whole window.
     */
    static Object present(final EventField field, final ClickEvent event) {
        final Object value = field.value(event);
        if (value instanceof String text) {
            return kept(text);
        }
        return value instanceof Double number && !Double.isFinite(number) ? null : value;
    }

    /**
     * The text as aggregations keep it: whole when its UTF-8 form has at most
     * {@link #MAX_TEXT_BYTES} bytes, otherwise its longest prefix of whole code points that does.
     * A lone surrogate counts as the one byte ({@code ?}) UTF-8 encoding writes for it.
     */
    static String kept(final String text) {
        // A char is at most 3 bytes of UTF-8 (a surrogate pair, two chars, 4): short texts need no count.
        if (text.length() <= MAX_TEXT_BYTES / 3) {
            return text;
        }
        int bytes = 0;
        int at = 0;
        while (at < text.length()) {
            final char c = text.charAt(at);
            final boolean pair = Character.isHighSurrogate(c) && at + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(at + 1));
            final int size = pair ? 4 : c < 0x80 || Character.isSurrogate(c) ? 1 : c < 0x800 ? 2 : 3;
            if (bytes + size > MAX_TEXT_BYTES) {
                return text.substring(0, at);
            }
            bytes += size;
            at += pair ? 2 : 1;
        }
        return text;
    }

    /** The most bytes {@link CompactIO#writeString} takes for the {@link #text} of a value of this type. */
    static int maxEncodedTextBytes(final FieldType type) {
        final int text = switch (type) {
            case NUMBER -> MAX_NUMBER_TEXT_BYTES;
            case TIMESTAMP -> MAX_TIMESTAMP_TEXT_BYTES;
            case STRING -> MAX_TEXT_BYTES;
        };
        return VarInts.sizeOf(text) + text;
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

    /** The most bytes {@link #write} takes for a value of this type. */
    static int maxEncodedBytes(final FieldType type) {
        return switch (type) {
            case NUMBER -> Double.BYTES;
            case TIMESTAMP -> VarInts.MAX_BYTES;
            case STRING -> maxEncodedTextBytes(FieldType.STRING);
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
