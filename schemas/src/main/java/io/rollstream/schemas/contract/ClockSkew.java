package io.rollstream.schemas.contract;

import java.time.Duration;
import java.util.Objects;

/**
 * How far ahead of the clocks that read features an admitted event's time can be. Ingest admits an
 * event up to {@code maxFutureSkew} after its record's timestamp ({@link EventValidator}), and that
 * timestamp is the producer's clock, which the events topic lets run up to
 * {@link #recordStampAllowance} ahead of the broker's. The engine keeps tiles for windows read that
 * far before an entity's newest event time, so such an event never costs a window read at the
 * true time its oldest tiles.
 *
 * @param maxFutureSkew {@code rollstream.ingest.max-future-skew.ms}
 */
public record ClockSkew(Duration maxFutureSkew) {

    /** The setting that names the max future skew, read by the collector and the feature store alike. */
    public static final String MAX_FUTURE_SKEW_CONFIG = "rollstream.ingest.max-future-skew.ms";

    /**
     * How far an event time may run ahead of the clock it is judged by (the record's stamp in the
     * ingest, the collector's clock there): mobile clocks are often a few minutes off.
     */
    public static final long DEFAULT_MAX_FUTURE_SKEW_MINUTES = 5;
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(DEFAULT_MAX_FUTURE_SKEW_MINUTES);

    /** The contract's default skew. */
    public static ClockSkew defaults() {
        return new ClockSkew(DEFAULT_MAX_FUTURE_SKEW);
    }

    /** Clocks kept in step by NTP differ by milliseconds; the topic's allowance is never less than this. */
    static final Duration MIN_RECORD_STAMP_ALLOWANCE = Duration.ofMinutes(1);

    public ClockSkew {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("the max future skew must not be negative, got " + maxFutureSkew);
        }
    }

    /**
     * The events topic's {@code message.timestamp.after.max.ms}: the max future skew, and at least a
     * minute, so a producer whose clock is merely in step with the broker's is never refused.
     */
    public Duration recordStampAllowance() {
        return maxFutureSkew.compareTo(MIN_RECORD_STAMP_ALLOWANCE) < 0 ? MIN_RECORD_STAMP_ALLOWANCE : maxFutureSkew;
    }

    /** The most an admitted event's time can be ahead of the broker's clock, and so of a reader's. */
    public Duration eventsAheadOfReaders() {
        return maxFutureSkew.plus(recordStampAllowance());
    }
}
