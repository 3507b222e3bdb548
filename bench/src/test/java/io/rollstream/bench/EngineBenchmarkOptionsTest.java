package io.rollstream.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineBenchmarkOptionsTest {

    @Test
    void shouldNeverLetTheDslRunPastTheInput() {
        assertThat(options(1_000, List.of("at_least_once"), 0).dslEventLimit()).isEqualTo(1_000);
        assertThat(options(1_000, List.of("at_least_once"), 5_000).dslEventLimit()).isEqualTo(1_000);
        assertThat(options(1_000, List.of("at_least_once"), 300).dslEventLimit()).isEqualTo(300);
    }

    @Test
    void shouldRefuseAnUnknownOrRepeatedGuarantee() {
        assertThatThrownBy(() -> options(1_000, List.of("exactly_once"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly_once_v2");
        assertThatThrownBy(() -> options(1_000, List.of("at_least_once", "at_least_once"), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseAnEmptyInput() {
        assertThatThrownBy(() -> options(0, List.of("at_least_once"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events");
    }

    @Test
    void shouldRefuseACompressionKafkaDoesNotOfferNamingThoseItDoes() {
        assertThatThrownBy(() -> new EngineBenchmarkOptions(1_000, 100, 100, 1, Duration.ofHours(36), 3, 1,
                List.of("at_least_once"), Duration.ofMillis(100), "brotli", 64L * 1024 * 1024, false,
                Duration.ofSeconds(10), 0, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brotli").hasMessageContaining("zstd");
    }

    private static EngineBenchmarkOptions options(final long events, final List<String> guarantees, final long dslMaxEvents) {
        return new EngineBenchmarkOptions(events, 100, 100, 1, Duration.ofHours(36), 3, 1, guarantees,
                Duration.ofMillis(100), "lz4", 64L * 1024 * 1024, false, Duration.ofSeconds(10), dslMaxEvents, 0, null);
    }
}
