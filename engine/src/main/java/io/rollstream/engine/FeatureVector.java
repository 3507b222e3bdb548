package io.rollstream.engine;

import java.util.Collections;
import java.util.Map;

/**
 * Feature values of one entity read at one instant, in declaration order.
 *
 * @param asOf            the instant the windows were anchored at (epoch millis)
 * @param newestEventTime event time of the newest event folded in, {@link EntityState#NO_EVENT} if none
 * @param values          feature name to value, in declaration order; taken over, not copied (this
 *                        is built for every read a scorer makes), so the caller must not change it
 */
public record FeatureVector(long asOf, long newestEventTime, Map<String, Object> values) {

    public FeatureVector {
        values = Collections.unmodifiableMap(values);
    }

    public boolean found() {
        return newestEventTime != EntityState.NO_EVENT;
    }

    public Object get(final String feature) {
        return values.get(feature);
    }
}
