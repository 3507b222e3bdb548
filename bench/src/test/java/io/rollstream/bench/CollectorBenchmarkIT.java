package io.rollstream.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole collector benchmark at toy size, on the real in-process broker and Apicurio: it must keep running. */
class CollectorBenchmarkIT {

    @Test
    void shouldMeasureBothSidesOnEveryEventAndEndWithTheSummaryLine() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        final CollectorBenchmark.Report report = new CollectorBenchmark(new CollectorBenchmark.Options(5_000, 100, 4,
                1_000, 3, 500, 1), new PrintStream(out, true, StandardCharsets.UTF_8), System.err).run();

        assertThat(report.events()).isEqualTo(5_000);
        assertThat(report.producer().eventsPerSecond()).isPositive();
        assertThat(report.collector().eventsPerSecond()).isPositive();
        final String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines[lines.length - 1]).startsWith("events=5000 batch=100 connections=4 ")
                .contains(" producer_events_per_s=", " collector_events_per_s=", " others_cpu_max_pct=")
                .containsPattern(" ratio_vs_producer=\\d+\\.\\d\\d$");
    }
}
