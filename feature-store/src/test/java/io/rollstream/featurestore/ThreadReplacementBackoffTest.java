package io.rollstream.featurestore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThreadReplacementBackoffTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    private final ThreadReplacementBackoff backoff = ThreadReplacementBackoff.standard();

    @Test
    void shouldDoubleTheWaitWithEachFailureUpToAMinute() {
        Instant now = T0;
        final long[] seconds = new long[9];
        for (int i = 0; i < seconds.length; i++) {
            final Duration delay = backoff.next(now);
            seconds[i] = delay.toSeconds();
            // The replacement fails ten seconds after it started.
            now = now.plus(delay).plusSeconds(10);
        }

        assertThat(seconds).containsExactly(1, 2, 4, 8, 16, 32, 60, 60, 60);
    }

    @Test
    void shouldWaitASecondAgainOnceTheReplacementRanFiveMinutesWithoutFailing() {
        backoff.next(T0);
        backoff.next(T0.plusSeconds(2));
        assertThat(backoff.next(T0.plusSeconds(5))).isEqualTo(Duration.ofSeconds(4));

        // Replaced at T0 + 9 s; healthy until just short of five minutes after that.
        assertThat(backoff.next(T0.plusSeconds(9 + 299))).as("not yet five minutes of health").isEqualTo(Duration.ofSeconds(8));
        final Instant replaced = T0.plusSeconds(9 + 299 + 8);
        assertThat(backoff.next(replaced.plus(Duration.ofMinutes(5)))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldStayAtTheMaximumHoweverLongTheThreadsKeepFailing() {
        final ThreadReplacementBackoff quick = new ThreadReplacementBackoff(Duration.ofMillis(1), Duration.ofSeconds(60),
                Duration.ofMinutes(5));
        Duration last = Duration.ZERO;
        for (int i = 0; i < 200; i++) {
            last = quick.next(T0.plusMillis(i));
        }

        assertThat(last).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldRefuseAMaximumBelowTheFirstWait() {
        assertThatThrownBy(() -> new ThreadReplacementBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    }
}
