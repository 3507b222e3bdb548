package io.rollstream.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feature values of one entity read at one instant, in declaration order.
 *
 * @param asOf            the instant the windows were anchored at (epoch millis)
 * @param newestEventTime event time of the newest event folded in, {@link EntityState#NO_EVENT} if none
 * @param values          feature name to value
 */
public record FeatureVector(long asOf, long newestEventTime, Map<String, Object> values) {

    public FeatureVector {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public boolean found() {
        return newestEventTime != EntityState.NO_EVENT;
    }

    public Object get(final String feature) {
        return values.get(feature);
    }
}
