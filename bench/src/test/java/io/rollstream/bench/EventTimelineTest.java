package io.rollstream.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimelineTest {

    private static final Instant END = Instant.parse("2026-11-21T12:00:00Z");
    private static final Duration SPAN = Duration.ofHours(36);
    private static final int EVENTS = 100_000;

    @Test
    void shouldSpreadArrivalsInOrderOverTheSpanEndingAtTheEnd() {
        final EventTimeline timeline = new EventTimeline(END, SPAN, EVENTS, 1);
        long previousArrival = Long.MIN_VALUE;
        long first = 0;
        long last = 0;
        for (int i = 0; i < EVENTS; i++) {
            final EventTimeline.Moment moment = timeline.next();
            assertThat(moment.arrivalMs()).isGreaterThanOrEqualTo(previousArrival);
            previousArrival = moment.arrivalMs();
            first = i == 0 ? moment.arrivalMs() : first;
            last = moment.arrivalMs();
        }
        assertThat(first).isEqualTo(END.minus(SPAN).toEpochMilli());
        assertThat(last).isBetween(END.minusSeconds(5).toEpochMilli(), END.toEpochMilli());
    }

    @Test
    void shouldMakeAFewEventsArriveLateByAtMostTheMaximumAndNoneEarly() {
        final EventTimeline timeline = new EventTimeline(END, SPAN, EVENTS, 1);
        int late = 0;
        for (int i = 0; i < EVENTS; i++) {
            final EventTimeline.Moment moment = timeline.next();
            final long lateness = moment.arrivalMs() - moment.eventTimeMs();
            assertThat(lateness).isBetween(0L, EventTimeline.MAX_LATENESS.toMillis());
            late += lateness > 0 ? 1 : 0;
        }
        assertThat((double) late / EVENTS).isCloseTo(EventTimeline.LATE_SHARE, org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void shouldGiveTheSameTimesForTheSameSeed() {
        final EventTimeline one = new EventTimeline(END, SPAN, EVENTS, 7);
        final EventTimeline other = new EventTimeline(END, SPAN, EVENTS, 7);
        for (int i = 0; i < 1_000; i++) {
            assertThat(one.next()).isEqualTo(other.next());
        }
    }
}
