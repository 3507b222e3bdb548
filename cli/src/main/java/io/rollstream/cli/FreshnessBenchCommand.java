package io.rollstream.cli;

import io.rollstream.bench.serving.FreshnessBenchmark;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code rollstream bench freshness}: time from an event's produce to a read that reflects it, under load. */
@Command(name = "freshness", mixinStandardHelpOptions = true,
        description = {"Time from an event's produce to the first read that reflects it, at a steady 20 000 events/s.",
                "",
                "Starts an in-process Kafka broker, Apicurio Registry and one feature-store instance (default features, "
                        + "exactly_once_v2, commit.interval.ms 100), produces pre-encoded events at a steady rate from one "
                        + "thread, and every 100 ms a marker event for a dedicated user (one per partition, in turn) through "
                        + "the same producer; a probe reads the marker users every 2 ms and times each marker from its produce "
                        + "to the first answer showing its event time, once a warm-up has left no backlog. Takes 2 to 5 minutes; progress on stderr, figures on "
                        + "stdout, ending with a line of key=value pairs (freshness_p50_ms=, freshness_p99_ms=, rate_eps=)."})
final class FreshnessBenchCommand implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "20000", description = "Events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seconds", defaultValue = "90", description = "Measured time (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--warmup-seconds", defaultValue = "20",
            description = "Least load before measuring, not recorded; the rate ramps up over its first half (default: ${DEFAULT-VALUE}).")
    long warmupSeconds;

    @Option(names = "--max-warmup-seconds", defaultValue = "180",
            description = "The warm-up goes on until the backlog is under half a second of events, at most this long "
                    + "(default: ${DEFAULT-VALUE}).")
    long maxWarmupSeconds;

    @Option(names = "--marker-every-ms", defaultValue = "100", description = "Interval between marker events (default: ${DEFAULT-VALUE}).")
    long markerEveryMs;

    @Option(names = "--poll-every-ms", defaultValue = "2", description = "Interval between reads of the marker users (default: ${DEFAULT-VALUE}).")
    long pollEveryMs;

    @Option(names = "--guarantee", defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
            description = "Processing guarantee, exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--commit-interval-ms", defaultValue = "100",
            description = "commit.interval.ms (default: ${DEFAULT-VALUE}, the service's default).")
    long commitIntervalMs;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the events topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--stream-threads", defaultValue = "2", description = "Stream threads of the instance (default: ${DEFAULT-VALUE}, the service's).")
    int streamThreads;

    @Option(names = "--users", defaultValue = "100000", description = "Distinct users of the load, Zipf-distributed (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--pool", defaultValue = "200000", description = "Pre-encoded events the load cycles through (default: ${DEFAULT-VALUE}).")
    int pool;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the load's events (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        new FreshnessBenchmark(new FreshnessBenchmark.Options(rate, Duration.ofSeconds(seconds), Duration.ofSeconds(warmupSeconds),
                Duration.ofSeconds(maxWarmupSeconds), Duration.ofMillis(markerEveryMs), Duration.ofMillis(pollEveryMs),
                guarantee, commitIntervalMs, partitions, streamThreads, users, pool, seed), System.out, System.err).run();
        return 0;
    }
}
