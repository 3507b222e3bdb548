package io.rollstream.engine;

import java.util.List;
import java.util.Map;

/**
 * A feature computed at read time from other features of the same entity, so it needs no state
 * of its own and is always consistent with them.
 */
public sealed interface DerivedFeature permits DerivedFeature.Ratio, DerivedFeature.SecondsSince {

    /** The name of {@link SecondsSince}'s source that means "the entity's newest event". */
    String LAST_EVENT = "last_event";

    String name();

    /** The features this one reads. */
    List<String> inputs();

    /**
     * @param values          the values computed so far, by name
     * @param asOf            the read instant (epoch millis)
     * @param newestEventTime the entity's newest event time, {@link EntityState#NO_EVENT} if none
     */
    Object compute(Map<String, Object> values, long asOf, long newestEventTime);

    /**
     * Whether the value moves with the read instant itself, not only with the features it reads
     * (seconds since an event does; a ratio does not).
     */
    default boolean dependsOnReadTime() {
        return false;
    }

    default String signature() {
        return getClass().getSimpleName() + ':' + name() + inputs();
    }

    /** {@code numerator / denominator}, e.g. click-through rate; null when the denominator is 0. */
    record Ratio(String name, String numerator, String denominator) implements DerivedFeature {

        @Override
        public List<String> inputs() {
            return List.of(numerator, denominator);
        }

        @Override
        public Object compute(final Map<String, Object> values, final long asOf, final long newestEventTime) {
            final Object top = values.get(numerator);
            final Object bottom = values.get(denominator);
            if (!(top instanceof Number n) || !(bottom instanceof Number d) || d.doubleValue() == 0) {
                return null;
            }
            return n.doubleValue() / d.doubleValue();
        }
    }

    /**
     * Seconds from a timestamp feature (epoch millis, such as the last purchase's event time) to
     * the read instant; null when that feature has no value.
     */
    record SecondsSince(String name, String source) implements DerivedFeature {

        @Override
        public List<String> inputs() {
            return LAST_EVENT.equals(source) ? List.of() : List.of(source);
        }

        @Override
        public Object compute(final Map<String, Object> values, final long asOf, final long newestEventTime) {
            final long since;
            if (LAST_EVENT.equals(source)) {
                if (newestEventTime == EntityState.NO_EVENT) {
                    return null;
                }
                since = newestEventTime;
            } else if (values.get(source) instanceof Number timestamp) {
                since = timestamp.longValue();
            } else {
                return null;
            }
            return Math.max(0, asOf - since) / 1000.0;
        }

        @Override
        public boolean dependsOnReadTime() {
            return true;
        }
    }
}
