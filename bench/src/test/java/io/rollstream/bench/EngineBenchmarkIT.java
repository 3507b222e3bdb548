package io.rollstream.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole benchmark at toy size, on the real in-process broker: it must keep running as the code it measures changes. */
class EngineBenchmarkIT {

    private static final long EVENTS = 20_000;
    private static final long DSL_CAP = 20;

    @Test
    void shouldRunAllFourVariantsOnTheWholeInputAndEndWithTheSummaryLine() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final EngineBenchmarkOptions options = new EngineBenchmarkOptions(EVENTS, 500, 200, 3, Duration.ofHours(30), 2, 1,
                List.of("exactly_once_v2"), Duration.ofMillis(100), "lz4", 64L * 1024 * 1024, false, Duration.ofSeconds(15),
                DSL_CAP, 1_000, null);

        final EngineBenchmarkReport report = new EngineBenchmark(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err).run();

        assertThat(report.find(Variant.COUNT, "exactly_once_v2").orElseThrow().events()).isEqualTo(EVENTS);
        assertThat(report.find(Variant.ROLLSTREAM, "exactly_once_v2").orElseThrow().events()).isEqualTo(EVENTS);
        assertThat(report.find(Variant.FLOOR, "exactly_once_v2").orElseThrow().events()).isEqualTo(EVENTS);
        assertThat(report.find(Variant.DSL, "exactly_once_v2").orElseThrow().events()).isBetween(1L, EVENTS);
        final String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines[lines.length - 1]).startsWith("events=20000 users=500 ")
                .contains(" count_eps=", " rollstream_eps=", " dsl_eps=", " ratio_vs_count=", " ratio_vs_dsl=", " rollstream_cpu_eps=", " ratio_vs_count_cpu=",
                        " floor_eps=", " floor_vs_count=", " ratio_vs_floor=", " peak_rss_mb=");
        assertThat(String.join("\n", lines)).contains("clickstream.events.dlq +0, clickstream.events.rekeyed +0");
    }
}
