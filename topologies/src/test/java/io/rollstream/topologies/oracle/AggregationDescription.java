package io.rollstream.topologies.oracle;

import io.rollstream.engine.field.EventField;
import io.rollstream.engine.field.EventFields;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An aggregation read back from its {@code toString()}, which the engine documents as naming its
 * kind, field and every parameter, defaults included ({@code count}, {@code count(price)},
 * {@code top_k(category, k=5, max_map_size=64)}, {@code session_count(gap_minutes=30)}). The oracle takes only this description from the
 * engine and computes the value itself.
 *
 * @param field null for aggregations of whole events (count, the session kinds)
 */
record AggregationDescription(String kind, EventField field, Map<String, String> params) {

    static AggregationDescription parse(final String text) {
        final int open = text.indexOf('(');
        if (open < 0) {
            return new AggregationDescription(text, null, Map.of());
        }
        if (!text.endsWith(")")) {
            throw new IllegalArgumentException("cannot read aggregation description '" + text + "'");
        }
        final Map<String, String> params = new LinkedHashMap<>();
        EventField field = null;
        for (final String part : text.substring(open + 1, text.length() - 1).split(", ")) {
            final int equals = part.indexOf('=');
            if (equals >= 0) {
                params.put(part.substring(0, equals), part.substring(equals + 1));
            } else if (field == null) {
                field = EventFields.resolve(part);
            } else {
                throw new IllegalArgumentException("cannot read aggregation description '" + text + "'");
            }
        }
        return new AggregationDescription(text.substring(0, open), field, params);
    }

    int intParam(final String name) {
        return Integer.parseInt(required(name));
    }

    double doubleParam(final String name) {
        return Double.parseDouble(required(name));
    }

    private String required(final String name) {
        final String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("aggregation " + kind + " names no parameter '" + name + "': " + params);
        }
        return value;
    }
}
