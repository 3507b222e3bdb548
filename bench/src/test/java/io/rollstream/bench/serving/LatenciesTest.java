package io.rollstream.bench.serving;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LatenciesTest {

    @Test
    void shouldTakeNearestRankPercentilesOverEveryRecorder() {
        final Latencies a = new Latencies(10);
        final Latencies b = new Latencies(10);
        for (int i = 1; i <= 1_000; i++) {
            (i % 2 == 0 ? a : b).record(i * 1_000_000L);
        }

        final Latencies.Summary summary = Latencies.summarize(List.of(a, b));

        assertThat(summary.count()).isEqualTo(1_000);
        assertThat(summary.p50Ms()).isEqualTo(500);
        assertThat(summary.p99Ms()).isEqualTo(990);
        assertThat(summary.p999Ms()).isEqualTo(999);
        assertThat(summary.maxMs()).isEqualTo(1_000);
    }
}
