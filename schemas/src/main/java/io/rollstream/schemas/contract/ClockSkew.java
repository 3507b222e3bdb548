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

    /**
     * The most the max future skew may be. Records are stamped up to that far ahead, and Kafka 4's
     * topics — the relay and dead-letter topics, the stores' changelogs — refuse records stamped
     * more than an hour ahead by default: a larger skew would make writing them fail the stream
     * thread. It also bounds how many tiles an entity keeps ({@link #MAX_EVENTS_AHEAD_OF_READERS}).
     */
    public static final Duration MAX_MAX_FUTURE_SKEW = Duration.ofMinutes(30);

    /** The most {@link #eventsAheadOfReaders} can be: what the features file's bound on state is checked for. */
    public static final Duration MAX_EVENTS_AHEAD_OF_READERS = MAX_MAX_FUTURE_SKEW.multipliedBy(2);

    /** The contract's default skew. */
    public static ClockSkew defaults() {
        return new ClockSkew(DEFAULT_MAX_FUTURE_SKEW);
    }

    /** Clocks kept in step by NTP differ by milliseconds; the topic's allowance is never less than this. */
    static final Duration MIN_RECORD_STAMP_ALLOWANCE = Duration.ofMinutes(1);

    public ClockSkew {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        if (maxFutureSkew.isNegative() || maxFutureSkew.compareTo(MAX_MAX_FUTURE_SKEW) > 0) {
            throw new IllegalArgumentException("the max future skew (" + MAX_FUTURE_SKEW_CONFIG + ") must be 0 to "
                    + Texts.duration(MAX_MAX_FUTURE_SKEW) + ", got " + Texts.duration(maxFutureSkew)
                    + ": clocks that are further off need fixing, and Kafka refuses records stamped an hour ahead");
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
