package io.rollstream.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * When each generated event happened and when it reached Kafka: arrivals evenly spread over
 * {@code span} up to {@code end}, each event happening at its arrival except for a small share
 * that arrive late (a phone syncing after a tunnel). Event times are therefore ascending with mild
 * disorder, and never after their arrival. Deterministic for a seed.
 */
final class EventTimeline {

    /** Share of events that arrive after events that happened later than them. */
    static final double LATE_SHARE = 0.05;
    /** How late such an event arrives at most: far inside every window's allowed lateness. */
    static final Duration MAX_LATENESS = Duration.ofMinutes(2);

    /** One event's two times, in epoch milliseconds. */
    record Moment(long arrivalMs, long eventTimeMs) {
    }

    private final long startMs;
    private final double stepMs;
    private final SplittableRandom random;
    private long index;

    EventTimeline(final Instant end, final Duration span, final long events, final long seed) {
        this.startMs = end.minus(span).toEpochMilli();
        this.stepMs = (double) span.toMillis() / events;
        // Its own stream, apart from the clickstream model's, so either can change without moving the other.
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    Moment next() {
        final long arrival = startMs + (long) (index++ * stepMs);
        final long lateness = random.nextDouble() < LATE_SHARE ? random.nextLong(MAX_LATENESS.toMillis() + 1) : 0;
        return new Moment(arrival, arrival - lateness);
    }
}
