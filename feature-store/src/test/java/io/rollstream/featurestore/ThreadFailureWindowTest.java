package io.rollstream.featurestore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadFailureWindowTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    private final ThreadFailureWindow window = new ThreadFailureWindow(3, Duration.ofMinutes(10));

    @Test
    void shouldBeHealthyUntilTheThirdFailureWithinTenMinutesAndSayWhyOnceItIsNot() {
        window.failed(T0, "java.net.ConnectException: registry refused");
        window.failed(T0.plus(Duration.ofMinutes(4)), "java.net.ConnectException: registry refused");
        assertThat(window.problem(T0.plus(Duration.ofMinutes(5)))).isEmpty();

        window.failed(T0.plus(Duration.ofMinutes(9)), "org.apache.kafka.streams.errors.ProcessorStateException: disk full");

        assertThat(window.failuresWithin(T0.plus(Duration.ofMinutes(9)))).isEqualTo(3);
        assertThat(window.problem(T0.plus(Duration.ofMinutes(9)))).hasValueSatisfying(problem -> assertThat(problem)
                .contains("3 stream thread failures within PT10M", FeatureStoreConfig.MAX_THREAD_FAILURES + "=3",
                        FeatureStoreConfig.THREAD_FAILURE_WINDOW_MS + "=600000", "restart this instance", "disk full"));
    }

    @Test
    void shouldTurnHealthyAgainOnceTheFailuresAreOlderThanTheWindow() {
        window.failed(T0, "a");
        window.failed(T0.plusSeconds(1), "b");
        window.failed(T0.plusSeconds(2), "c");
        assertThat(window.problem(T0.plusSeconds(3))).isPresent();

        assertThat(window.problem(T0.plus(Duration.ofMinutes(10)).plusMillis(1))).as("the first is out of the window")
                .isEmpty();
        assertThat(window.failuresWithin(T0.plus(Duration.ofMinutes(10)).plusSeconds(2))).isEqualTo(0);
    }

    @Test
    void shouldNotCountFailuresSpreadWiderThanTheWindow() {
        for (int i = 0; i < 100; i++) {
            window.failed(T0.plus(Duration.ofMinutes(6L * i)), "now and then");
        }

        assertThat(window.problem(T0.plus(Duration.ofMinutes(6L * 99)))).isEmpty();
        assertThat(window.failuresWithin(T0.plus(Duration.ofMinutes(6L * 99)))).isEqualTo(2);
    }
}
