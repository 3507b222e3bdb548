package io.rollstream.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationTextTest {

    @Test
    void shouldWriteDurationsTheWayPeopleDo() {
        assertThat(DurationText.of(Duration.ofDays(30))).isEqualTo("30 d");
        assertThat(DurationText.of(Duration.ofHours(36))).isEqualTo("36 h");
        assertThat(DurationText.of(Duration.ofHours(24))).isEqualTo("24 h");
        assertThat(DurationText.of(Duration.ofMinutes(2))).isEqualTo("2 min");
        assertThat(DurationText.of(Duration.ofSeconds(90))).isEqualTo("90 s");
        assertThat(DurationText.of(Duration.ofMillis(50))).isEqualTo("50 ms");
    }
}
