package io.rollstream.engine.aggregation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An aggregation as a features file declares it: a kind ({@code sum}, {@code top_k}, ...) and its
 * parameters, still unchecked; {@link Aggregations#create} checks them.
 *
 * @param params parameter values as parsed (numbers, text, ...); null values are kept, so that
 *               {@code k:} with nothing after it is reported rather than silently defaulted
 */
public record AggregationSpec(String kind, Map<String, Object> params) {

    public AggregationSpec {
        Objects.requireNonNull(kind, "kind");
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}
