package io.rollstream.engine.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one aggregation as a features file gave them, checked against what its kind
 * accepts. Errors name the parameter, the value given and the valid values: the caller prefixes
 * the feature.
 */
final class AggregationParams {

    private final AggregationKind kind;
    private final Map<String, Object> values;

    private AggregationParams(final AggregationKind kind, final Map<String, Object> values) {
        this.kind = kind;
        this.values = values;
    }

    /** @throws IllegalArgumentException naming the first parameter {@code kind} does not have */
    static AggregationParams check(final AggregationKind kind, final Map<String, Object> values) {
        for (final String name : values.keySet()) {
            if (kind.param(name) == null) {
                throw new IllegalArgumentException(unknown(kind, name));
            }
        }
        return new AggregationParams(kind, values);
    }

    private static String unknown(final AggregationKind kind, final String name) {
        if (kind.params().isEmpty()) {
            return "aggregation '" + kind.id() + "' takes no parameters, but '" + name + "' was given; remove it";
        }
        final List<String> summaries = new ArrayList<>();
        kind.params().forEach(param -> summaries.add(param.summary()));
        return "aggregation '" + kind.id() + "' has no parameter '" + name + "'; its parameters are "
                + Listing.of(summaries, "and");
    }

    int wholeNumber(final ParamSpec spec) {
        return (int) number(spec);
    }

    /** @throws IllegalArgumentException when the value is missing (and required), not a number, or out of range */
    double number(final ParamSpec spec) {
        if (!values.containsKey(spec.name())) {
            if (spec.defaultValue() == null) {
                throw new IllegalArgumentException("aggregation '" + kind.id() + "' needs parameter '" + spec.name()
                        + "', " + spec.validValues() + " (" + spec.hint() + "); write it as {kind: " + kind.id()
                        + ", " + spec.name() + ": ...}");
            }
            return spec.defaultValue().doubleValue();
        }
        final Object value = values.get(spec.name());
        if (value instanceof Number number && spec.accepts(number.doubleValue())) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException(invalid(spec, value,
                "it must be " + spec.validValues() + " (" + spec.hint() + ")"));
    }

    /** A message for a value that breaks {@code rule} (which says what would be valid). */
    String invalid(final ParamSpec spec, final Object value, final String rule) {
        return "parameter '" + spec.name() + "' of aggregation '" + kind.id() + "' is " + describe(value) + "; " + rule;
    }

    private static String describe(final Object value) {
        if (value == null) {
            return "empty";
        }
        if (value instanceof String text) {
            return "\"" + text + "\" (text; write numbers without quotes)";
        }
        if (value instanceof Number number) {
            return ParamSpec.format(number.doubleValue());
        }
        return value.toString();
    }
}
