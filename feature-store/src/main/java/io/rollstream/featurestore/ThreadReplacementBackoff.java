package io.rollstream.featurestore;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long to wait before replacing a stream thread that died: {@link #initial} after a failure
 * that follows a healthy spell, doubling with each failure after that up to {@link #max}, and back to
 * {@link #initial} once replaced threads have run {@link #resetAfter} without failing. A thread that
 * dies on every start (a registry that is down, a broker that refuses it) then costs a few restarts
 * a minute instead of a tight loop of rebalances, while one failure in a long while is retried at
 * once. One policy for all the threads of an instance: they fail for the same reasons.
 */
final class ThreadReplacementBackoff {

    /** 1 s doubling to 60 s, reset after 5 minutes of health: a new one, as each remembers its failures. */
    static ThreadReplacementBackoff standard() {
        return new ThreadReplacementBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5));
    }

    private final Duration initial;
    private final Duration max;
    private final Duration resetAfter;
    private int consecutive;
    private Instant replacedAt;

    ThreadReplacementBackoff(final Duration initial, final Duration max, final Duration resetAfter) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.max = Objects.requireNonNull(max, "max");
        this.resetAfter = Objects.requireNonNull(resetAfter, "resetAfter");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 < initial <= max, was " + initial + " and " + max);
        }
    }

    /** The wait before replacing a thread that failed at {@code failedAt}; remembers the failure. */
    synchronized Duration next(final Instant failedAt) {
        if (replacedAt != null && !failedAt.isBefore(replacedAt.plus(resetAfter))) {
            consecutive = 0;
        }
        // Doubling stops at max long before the shift could overflow.
        final Duration delay = consecutive >= 30 ? max : min(initial.multipliedBy(1L << consecutive), max);
        consecutive++;
        replacedAt = failedAt.plus(delay);
        return delay;
    }

    /** The policy in words, for settings' docs and logs. */
    String describe() {
        return initial.toSeconds() + " s doubling to " + max.toSeconds() + " s, back to " + initial.toSeconds()
                + " s after " + resetAfter.toSeconds() + " s without a failure";
    }

    private static Duration min(final Duration a, final Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
