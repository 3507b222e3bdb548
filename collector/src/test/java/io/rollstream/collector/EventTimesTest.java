package io.rollstream.collector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTimesTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-21T12:00:00Z", "2026-11-21T12:00:00.1Z", "2026-11-21T12:00:00.123Z",
            "2026-11-21T12:00:00.123456789Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z",
            "2026-11-21T13:00:00+01:00", "2026-11-21T12:00:00.5-03:30", "2016-12-31T23:59:60Z"})
    void shouldReadEveryIsoInstantAsTheJdkDoes(final String text) {
        assertThat(EventTimes.parseIso(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T12:00:00Z", "2026-11-21T25:00:00Z",
            "2026-11-21T12:00:00.1234567890Z", "2026-11-21 12:00:00Z", "2026-11-21T12:00:00", "2026-1x-21T12:00:00Z"})
    void shouldRefuseWhatTheJdkRefuses(final String text) {
        assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> EventTimes.parseIso(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void shouldAgreeWithTheJdkOnRandomInstants() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            final Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
            final String text = instant.toString();
            assertThat(EventTimes.parseIso(text)).as(text).isEqualTo(instant);
        }
    }
}
