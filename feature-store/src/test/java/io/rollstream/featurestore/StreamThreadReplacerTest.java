package io.rollstream.featurestore;

import io.rollstream.topologies.errors.ProcessingFailures;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class StreamThreadReplacerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    private final Metrics metrics = new Metrics();
    private final ThreadFailureWindow failures = new ThreadFailureWindow(2, Duration.ofMinutes(10));

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void shouldReplaceTheThreadAfterTheBackoffCountingItAndItsFailure() {
        final StreamThreadReplacer replacer = new StreamThreadReplacer(new ThreadReplacementBackoff(Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofMinutes(5)), failures, metrics, Clock.fixed(T0, ZoneOffset.UTC));

        final long started = System.nanoTime();
        final StreamThreadExceptionResponse response = replacer.handle(new StreamsException("task 0_1 failed",
                new ConnectException("registry refused")));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(metric("thread-replacements-total")).isEqualTo(1.0);
        assertThat(metric("thread-failures-in-window")).isEqualTo(1);
        assertThat(failures.failuresWithin(T0)).isEqualTo(1);
    }

    @Test
    void shouldStopWaitingAndReplaceNothingLaterWhenTheInstanceCloses() throws Exception {
        final StreamThreadReplacer replacer = new StreamThreadReplacer(new ThreadReplacementBackoff(Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ofMinutes(5)), failures, metrics, Clock.fixed(T0, ZoneOffset.UTC));

        final CompletableFuture<StreamThreadExceptionResponse> waiting =
                CompletableFuture.supplyAsync(() -> replacer.handle(new IllegalStateException("boom")));
        Thread.sleep(100);
        replacer.close();

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldNameTheInnermostCauseAndWhereItWasWrapped() {
        assertThat(StreamThreadReplacer.rootCause(new StreamsException("Exception caught in process. taskId=0_1",
                new IllegalStateException("outer", new ConnectException("registry refused")))))
                .isEqualTo("java.net.ConnectException: registry refused (in org.apache.kafka.streams.errors.StreamsException: "
                        + "Exception caught in process. taskId=0_1)");
        assertThat(StreamThreadReplacer.rootCause(new OutOfMemoryError("heap"))).isEqualTo("java.lang.OutOfMemoryError: heap");
    }

    private Object metric(final String name) {
        return metrics.metric(metrics.metricName(name, ProcessingFailures.GROUP)).metricValue();
    }
}
