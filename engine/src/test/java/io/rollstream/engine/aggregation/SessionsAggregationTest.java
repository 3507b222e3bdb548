package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionsAggregationTest {

    private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");
    private static final long GAP_MINUTES = 30;

    @Test
    void shouldSplitSessionsAtTheInactivityGapWhateverTheArrivalOrder() {
        final List<Instant> times = List.of(NOON, NOON.plus(Duration.ofMinutes(20)), NOON.plus(Duration.ofMinutes(45)),
                NOON.plus(Duration.ofMinutes(120)), NOON.plus(Duration.ofMinutes(140)));
        final List<Instant> shuffled = new ArrayList<>(times);
        Collections.shuffle(shuffled, new Random(3));

        final SessionsAggregation count = new SessionsAggregation(SessionsAggregation.Reading.COUNT, GAP_MINUTES);
        final SessionsAggregation.Sessions sessions = fold(count, shuffled);
        assertThat(count.result(sessions, NOON.plus(Duration.ofHours(3)).toEpochMilli())).isEqualTo(2L);
    }

    @Test
    void shouldReportTheCurrentSessionOnlyWhileItsLastEventIsWithinTheGap() {
        final List<Instant> times = List.of(NOON, NOON.plus(Duration.ofMinutes(10)), NOON.plus(Duration.ofMinutes(25)));
        final SessionsAggregation events = new SessionsAggregation(SessionsAggregation.Reading.CURRENT_EVENTS, GAP_MINUTES);
        final SessionsAggregation duration = new SessionsAggregation(SessionsAggregation.Reading.CURRENT_DURATION, GAP_MINUTES);

        final long stillOpen = NOON.plus(Duration.ofMinutes(50)).toEpochMilli();
        final long closed = NOON.plus(Duration.ofMinutes(56)).toEpochMilli();
        assertThat(events.result(fold(events, times), stillOpen)).isEqualTo(3L);
        assertThat(duration.result(fold(duration, times), stillOpen)).isEqualTo(25 * 60.0);
        assertThat(events.result(fold(events, times), closed)).isEqualTo(0L);
        assertThat(duration.result(fold(duration, times), closed)).isEqualTo(0.0);
    }

    @Test
    void shouldGiveTheSameSessionsWhenTilesAreMergedAsWhenFoldedTogether() {
        final Random random = new Random(7);
        final List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            times.add(NOON.plus(Duration.ofMinutes(random.nextInt(24 * 60))));
        }
        final SessionsAggregation count = new SessionsAggregation(SessionsAggregation.Reading.COUNT, GAP_MINUTES);
        final SessionsAggregation.Sessions whole = fold(count, times);
        final SessionsAggregation.Sessions merged = count.newAccumulator();
        for (int tile = 0; tile < 24; tile++) {
            final int hour = tile;
            count.merge(merged, fold(count, times.stream()
                    .filter(t -> Duration.between(NOON, t).toHours() == hour).toList()));
        }
        assertThat(count.result(merged, 0)).isEqualTo(count.result(whole, 0)).isEqualTo(bruteForceSessions(times));
    }

    @Test
    void shouldJoinSessionsThatAChainOfLateEventsBridges() throws IOException {
        final SessionsAggregation events = new SessionsAggregation(SessionsAggregation.Reading.CURRENT_EVENTS, GAP_MINUTES);
        final List<Instant> times = List.of(NOON, NOON.plus(Duration.ofMinutes(80)),
                NOON.plus(Duration.ofMinutes(25)), NOON.plus(Duration.ofMinutes(52)));
        final SessionsAggregation.Sessions sessions = roundTrip(events, fold(events, times));
        assertThat(events.result(sessions, NOON.plus(Duration.ofMinutes(90)).toEpochMilli())).isEqualTo(4L);
    }

    @Test
    void shouldWriteTimesRelativeToTheTileStartInAFewBytesAndReadThemBackExactly() throws IOException {
        final SessionsAggregation count = new SessionsAggregation(SessionsAggregation.Reading.COUNT, GAP_MINUTES);
        final long tileStart = NOON.toEpochMilli();
        final SessionsAggregation.Sessions sessions = fold(count, List.of(NOON.plusMillis(754_321),
                NOON.plus(Duration.ofMinutes(50)), NOON.minusMillis(1)));

        final ByteArrayOutputStream relative = new ByteArrayOutputStream();
        count.write(sessions, new DataOutputStream(relative), tileStart);
        final ByteArrayOutputStream absolute = new ByteArrayOutputStream();
        count.write(sessions, new DataOutputStream(absolute));
        final SessionsAggregation.Sessions read = count.read(
                new DataInputStream(new ByteArrayInputStream(relative.toByteArray())), tileStart);

        assertThat(relative.size()).as("a first start a millisecond before the tile costs one byte, not eight")
                .isLessThanOrEqualTo(absolute.size() - 5);
        assertThat(Arrays.copyOf(read.starts, read.size)).containsExactly(Arrays.copyOf(sessions.starts, sessions.size));
        assertThat(Arrays.copyOf(read.ends, read.size)).containsExactly(Arrays.copyOf(sessions.ends, sessions.size));
        assertThat(Arrays.copyOf(read.events, read.size)).containsExactly(Arrays.copyOf(sessions.events, sessions.size));
        assertThat(count.read(new DataInputStream(new ByteArrayInputStream(relative.toByteArray())), tileStart + 1).starts[0])
                .as("read against another tile start: shifted, so the codec must pass the tile's own")
                .isEqualTo(sessions.starts[0] + 1);
    }

    @Test
    void shouldRefuseAField() {
        assertThatThrownBy(() -> Aggregations.create(new AggregationSpec("session_count", Map.of()),
                io.rollstream.engine.field.EventFields.resolve("price")))
                .hasMessageContaining("takes no field");
    }

    private static long bruteForceSessions(final List<Instant> times) {
        final List<Instant> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        long sessions = sorted.isEmpty() ? 0 : 1;
        for (int i = 1; i < sorted.size(); i++) {
            if (Duration.between(sorted.get(i - 1), sorted.get(i)).toMinutes() > GAP_MINUTES) {
                sessions++;
            }
        }
        return sessions;
    }

    private static SessionsAggregation.Sessions fold(final SessionsAggregation aggregation, final List<Instant> times) {
        final SessionsAggregation.Sessions sessions = aggregation.newAccumulator();
        for (final Instant time : times) {
            aggregation.add(sessions, ClickEvent.newBuilder().setEventId("e").setEventType(EventType.CLICK)
                    .setUserId("u").setEventTime(time).setProperties(Map.of()).build());
        }
        return sessions;
    }

    private static SessionsAggregation.Sessions roundTrip(final SessionsAggregation aggregation,
                                                         final SessionsAggregation.Sessions sessions) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        aggregation.write(sessions, new DataOutputStream(bytes));
        return aggregation.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
