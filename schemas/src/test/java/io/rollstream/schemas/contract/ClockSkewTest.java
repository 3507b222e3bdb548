package io.rollstream.schemas.contract;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClockSkewTest {

    @Test
    void shouldLetRecordStampsRunAheadByTheSkewAndEventsByTwiceIt() {
        final ClockSkew skew = new ClockSkew(Duration.ofMinutes(5));

        assertThat(skew.recordStampAllowance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(skew.eventsAheadOfReaders()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldNeverRefuseRecordsFromClocksMerelyInStepEvenWithoutSkew() {
        final ClockSkew none = new ClockSkew(Duration.ZERO);

        assertThat(none.recordStampAllowance()).isEqualTo(Duration.ofMinutes(1));
        assertThat(none.eventsAheadOfReaders()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> new ClockSkew(Duration.ofSeconds(-1))).hasMessageContaining("must be 0 to 30m");
    }

    @Test
    void shouldRefuseASkewPastHalfAnHourSayingWhy() {
        assertThatThrownBy(() -> new ClockSkew(Duration.ofMinutes(31)))
                .hasMessageContaining(ClockSkew.MAX_FUTURE_SKEW_CONFIG).hasMessageContaining("must be 0 to 30m");
        assertThat(new ClockSkew(ClockSkew.MAX_MAX_FUTURE_SKEW).eventsAheadOfReaders())
                .isEqualTo(ClockSkew.MAX_EVENTS_AHEAD_OF_READERS);
    }
}
