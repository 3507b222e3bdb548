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
 * @param holdsUntil      the first instant after {@code asOf} at which a read of the same state could
 *                        give a feature other than a {@linkplain DerivedFeature#dependsOnReadTime()
 *                        read-time one} another value: a tile leaves or enters a window, or a session
 *                        stops being current. Until then, and until the entity takes another event,
 *                        reading again changes only the read-time features. {@link Long#MAX_VALUE}
 *                        when nothing can change (or when read at {@link Long#MAX_VALUE} itself).
 */
public record FeatureVector(long asOf, long newestEventTime, Map<String, Object> values, long holdsUntil) {

    public FeatureVector {
        values = Collections.unmodifiableMap(values);
        // Read at the last instant there is, nothing comes after it.
        if (holdsUntil <= asOf && asOf != Long.MAX_VALUE) {
            throw new IllegalArgumentException("a vector read at " + asOf + " holds at least until the next instant, not "
                    + holdsUntil);
        }
    }

    public boolean found() {
        return newestEventTime != EntityState.NO_EVENT;
    }

    public Object get(final String feature) {
        return values.get(feature);
    }
}
