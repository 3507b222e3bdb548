package io.rollstream.generator;

import java.time.Duration;
import java.util.Objects;

/**
 * Which faults the generator injects, each in a percentage of the events, for testing how the pipeline copes:
 *
 * @param outOfOrderPct events whose event_time is moved back by up to {@code maxDisorder} (still in the window)
 * @param maxDisorder   how far back an out-of-order event may go
 * @param latePct       events moved back by {@code lateBy}: older than the pipeline's allowed lateness, so dead-lettered
 * @param lateBy        how far back a late event goes; longer than the longest window
 * @param duplicatePct  events sent twice, byte for byte (same event id): they must count once
 * @param malformedPct  records whose value is garbage instead of Confluent-wire Avro: they must be dead-lettered
 */
public record Faults(double outOfOrderPct, Duration maxDisorder, double latePct, Duration lateBy,
                     double duplicatePct, double malformedPct) {

    public static final Duration DEFAULT_MAX_DISORDER = Duration.ofMinutes(10);
    /** One day past the default features' longest window (30 days). */
    public static final Duration DEFAULT_LATE_BY = Duration.ofDays(31);
    public static final Faults NONE = new Faults(0, DEFAULT_MAX_DISORDER, 0, DEFAULT_LATE_BY, 0, 0);

    public Faults {
        requirePercentage(outOfOrderPct, "out-of-order");
        requirePercentage(latePct, "late");
        requirePercentage(duplicatePct, "duplicate");
        requirePercentage(malformedPct, "malformed");
        Objects.requireNonNull(maxDisorder, "maxDisorder");
        Objects.requireNonNull(lateBy, "lateBy");
        if (maxDisorder.isNegative() || maxDisorder.isZero() || lateBy.isNegative() || lateBy.isZero()) {
            throw new IllegalArgumentException("the out-of-order jitter and the lateness must be positive, got "
                    + maxDisorder + " and " + lateBy);
        }
    }

    public boolean any() {
        return outOfOrderPct > 0 || latePct > 0 || duplicatePct > 0 || malformedPct > 0;
    }

    private static void requirePercentage(final double value, final String what) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException("the " + what + " percentage must be between 0 and 100, got " + value);
        }
    }
}
