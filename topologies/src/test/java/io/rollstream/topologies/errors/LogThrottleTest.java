package io.rollstream.topologies.errors;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LogThrottleTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void shouldLetTheFirstLineThroughWithItsStackAndThenOnePerIntervalCountingTheOthers() {
        final LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10));

        assertThat(throttle.tryLog(0)).contains(new LogThrottle.Pass(0, true));
        assertThat(throttle.tryLog(SECOND)).isEmpty();
        assertThat(throttle.tryLog(9 * SECOND)).isEmpty();
        assertThat(throttle.tryLog(10 * SECOND)).contains(new LogThrottle.Pass(2, false));
        assertThat(throttle.tryLog(11 * SECOND)).isEmpty();
        assertThat(throttle.tryLog(60 * SECOND)).as("a quiet spell: the next passes at once")
                .contains(new LogThrottle.Pass(1, false));
    }

    @Test
    void shouldLetTheFirstLineThroughWhateverTheClockReads() {
        assertThat(new LogThrottle(Duration.ofSeconds(10)).tryLog(Long.MIN_VALUE + 5)).isPresent();
    }
}
