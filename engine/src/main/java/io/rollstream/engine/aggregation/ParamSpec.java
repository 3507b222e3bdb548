package io.rollstream.engine.aggregation;

import java.util.ArrayList;
import java.util.List;

/**
 * A parameter an aggregation kind accepts, as a features file writes it: its name, which values
 * are valid, its default ({@code null} when it must be given) and a hint on choosing it.
 */
record ParamSpec(String name, Form form, double min, double max, Number defaultValue, String hint) {

    enum Form { WHOLE_NUMBER, NUMBER, POWER_OF_TWO }

    static ParamSpec wholeNumber(final String name, final int defaultValue, final int min, final int max,
                                 final String hint) {
        return new ParamSpec(name, Form.WHOLE_NUMBER, min, max, defaultValue, hint);
    }

    static ParamSpec powerOfTwo(final String name, final int defaultValue, final int min, final int max,
                                final String hint) {
        return new ParamSpec(name, Form.POWER_OF_TWO, min, max, defaultValue, hint);
    }

    static ParamSpec requiredNumber(final String name, final double min, final double max, final String hint) {
        return new ParamSpec(name, Form.NUMBER, min, max, null, hint);
    }

    /** For a list of parameters: {@code k (default 10)}, {@code quantile (required)}. */
    String summary() {
        return name + (defaultValue == null ? " (required)" : " (default " + defaultValue + ")");
    }

    /** {@code a whole number from 1 to 1000}, {@code a power of 2 from 8 to 64 (8, 16, 32 or 64)}. */
    String validValues() {
        final String range = "from " + format(min) + " to " + format(max);
        return switch (form) {
            case WHOLE_NUMBER -> "a whole number " + range;
            case NUMBER -> "a number " + range;
            case POWER_OF_TWO -> "a power of 2 " + range + " (" + powersOfTwo() + ")";
        };
    }

    boolean accepts(final double value) {
        if (!(value >= min && value <= max)) {
            return false; // out of range, or NaN (YAML's .nan)
        }
        return switch (form) {
            case NUMBER -> true;
            case WHOLE_NUMBER -> value == Math.rint(value);
            case POWER_OF_TWO -> value == Math.rint(value) && Long.bitCount((long) value) == 1;
        };
    }

    private String powersOfTwo() {
        final List<String> powers = new ArrayList<>();
        for (long power = Long.highestOneBit((long) min); power <= max; power <<= 1) {
            if (power >= min) {
                powers.add(Long.toString(power));
            }
        }
        return Listing.of(powers, "or");
    }

    static String format(final double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
