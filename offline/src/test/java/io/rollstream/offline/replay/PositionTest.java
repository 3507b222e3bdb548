package io.rollstream.offline.replay;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void shouldReadEveryFormAUserWritesAPositionIn() {
        assertThat(Position.parse("earliest", CLOCK)).isEqualTo(new Position.Earliest());
        assertThat(Position.parse("end", CLOCK)).isEqualTo(new Position.End());
        assertThat(Position.parse("now", CLOCK)).isEqualTo(new Position.End());
        assertThat(Position.parse("2h", CLOCK)).isEqualTo(new Position.AtTime(Instant.parse("2026-12-07T10:00:00Z")));
        assertThat(Position.parse("7d", CLOCK)).isEqualTo(new Position.AtTime(Instant.parse("2026-11-30T12:00:00Z")));
        assertThat(Position.parse("2026-12-01T08:30:00Z", CLOCK))
                .isEqualTo(new Position.AtTime(Instant.parse("2026-12-01T08:30:00Z")));
        assertThat(Position.parse("0:1200, 2:80", CLOCK)).isEqualTo(new Position.AtOffsets(Map.of(0, 1200L, 2, 80L)));
    }

    @Test
    void shouldRefuseWhatIsNoPositionSayingWhatIs() {
        assertThatThrownBy(() -> Position.parse("yesterday", CLOCK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'yesterday' is not a position").hasMessageContaining("0:1200,2:80");
        assertThatThrownBy(() -> Position.parse("2026-12-01T08:30:00", CLOCK)).hasMessageContaining("is not a position");
        assertThatThrownBy(() -> Position.parse("0:1,0:2", CLOCK)).hasMessageContaining("names partition 0 twice");
    }
}
