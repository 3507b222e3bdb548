package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;

import java.util.LinkedHashMap;
import java.util.Map;

/** Aggregations built through the factory, as a features file would declare them. */
final class Specs {

    private Specs() {
    }

    /** @param params alternating names and values: {@code "k", 3, "max_map_size", 8} */
    static Aggregation<?> aggregation(final String kind, final EventField field, final Object... params) {
        final Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            values.put((String) params[i], params[i + 1]);
        }
        return Aggregations.create(new AggregationSpec(kind, values), field);
    }
}
