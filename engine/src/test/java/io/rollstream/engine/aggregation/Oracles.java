package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/** Brute-force answers computed straight from the event list, to hold the aggregations to. */
final class Oracles {

    static final double EPSILON = Math.ulp(1.0) / 2;

    private Oracles() {
    }

    /** The field's values in event order, without absent ones and without NaN or infinite numbers. */
    static List<Object> values(final EventField field, final List<ClickEvent> events) {
        final List<Object> values = new ArrayList<>();
        for (final ClickEvent event : events) {
            final Object value = field.value(event);
            if (value != null && !(value instanceof Double d && !Double.isFinite(d))) {
                values.add(value);
            }
        }
        return values;
    }

    static List<Double> numbers(final EventField field, final List<ClickEvent> events) {
        return values(field, events).stream().map(value -> ((Number) value).doubleValue()).toList();
    }

    static BigDecimal exactSum(final List<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (final double value : values) {
            sum = sum.add(new BigDecimal(value));
        }
        return sum;
    }

    static double sumOfMagnitudes(final List<Double> values) {
        return values.stream().mapToDouble(Math::abs).sum();
    }

    /** The population variance, exactly up to 34 significant digits. */
    static double exactVariance(final List<Double> values) {
        final MathContext precision = MathContext.DECIMAL128;
        final BigDecimal n = BigDecimal.valueOf(values.size());
        final BigDecimal mean = exactSum(values).divide(n, precision);
        BigDecimal squares = BigDecimal.ZERO;
        for (final double value : values) {
            final BigDecimal deviation = new BigDecimal(value).subtract(mean);
            squares = squares.add(deviation.multiply(deviation, precision));
        }
        return squares.divide(n, precision).doubleValue();
    }
}
