package io.rollstream.bench;

import io.rollstream.generator.ClickstreamModel;
import io.rollstream.schemas.ClickEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The engine benchmarks' input: the clickstream model's Zipf users and funnels, at the times of
 * an {@link EventTimeline} over {@code span}. Deterministic for its values and its end.
 */
public record GeneratedInput(long events, int users, int items, long seed, Duration span) {

    public GeneratedInput {
        Objects.requireNonNull(span, "span");
        require(events >= 1, "the number of events must be at least 1, got " + events);
        require(users >= 1 && items >= 1, "users and items must be at least 1, got " + users + " users and " + items + " items");
        require(!span.isNegative() && !span.isZero(), "the time span of the events must be positive, got " + span);
    }

    /** One event of the input, and when it reached Kafka. */
    record Arrival(ClickEvent event, long arrivalMs) {
    }

    /** The events one by one, in order of arrival, the last arriving at {@code end}. */
    final class Generation {
        private final ClickstreamModel model = new ClickstreamModel(seed, users, items);
        private final EventTimeline timeline;

        private Generation(final Instant end) {
            this.timeline = new EventTimeline(end, span, events, seed);
        }

        Arrival next() {
            final EventTimeline.Moment moment = timeline.next();
            return new Arrival(model.next(Instant.ofEpochMilli(moment.eventTimeMs())), moment.arrivalMs());
        }
    }

    Generation from(final Instant end) {
        return new Generation(end);
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
