package io.rollstream.bench.serving;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedisBaselineTest {

    @Test
    void shouldUseTheKeysRedisBenchmarkAsksFor() {
        // -r 100000 makes __rand_int__ a 12-digit number from 0 to 99999.
        assertThat(RedisBaseline.key(1)).isEqualTo("user:000000000000");
        assertThat(RedisBaseline.key(100_000)).isEqualTo("user:000000099999");
    }

    @Test
    void shouldReadThroughputAndPercentilesFromRedisBenchmarksReport() throws IOException {
        final List<String> out = List.of(
                "GET user:__rand_int__: rps=0.0 (overall: -nan) avg_msec=-nan (overall: -nan)\r  100000 requests completed in 1.40 seconds",
                "  50 parallel clients",
                "Latency by percentile distribution:",
                "0.000% <= 0.135 milliseconds (cumulative count 14)",
                "50.000% <= 0.455 milliseconds (cumulative count 51062)",
                "98.438% <= 0.759 milliseconds (cumulative count 98455)",
                "99.219% <= 1.031 milliseconds (cumulative count 99226)",
                "99.902% <= 2.703 milliseconds (cumulative count 99903)",
                "100.000% <= 5.711 milliseconds (cumulative count 100000)",
                "",
                "Cumulative distribution of latencies:",
                "99.999% <= 0.103 milliseconds (cumulative count 0)",
                "Summary:",
                "  throughput summary: 66445.18 requests per second");

        final RedisBaseline.Result result = RedisBaseline.parse(out, 100_000);

        assertThat(result.qps()).isEqualTo(66445.18);
        assertThat(result.p50Ms()).isEqualTo(0.455);
        assertThat(result.p99Ms()).isEqualTo(1.031);
        assertThat(result.p999Ms()).isEqualTo(2.703);
        assertThat(result.maxMs()).isEqualTo(5.711);
    }
}
