package io.rollstream.cli;

import io.rollstream.bench.serving.ServingBenchmark;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code rollstream bench serving}: read latency and throughput of one instance beside Redis. */
@Command(name = "serving", mixinStandardHelpOptions = true,
        description = {"Read latency and throughput of one feature-store instance with 100 000 users loaded, beside Redis.",
                "",
                "Starts an in-process Kafka broker, Apicurio Registry and one feature-store instance (default features), "
                        + "publishes events for every user and waits until they are processed, then drives the HTTP API from "
                        + "other processes on loopback: single gets at a fixed rate (Java load client, open loop), single gets "
                        + "at max throughput (wrk), batches of 100 at a fixed rate and at max throughput. Baseline in the same "
                        + "run: redis-server holding every user's feature vector, read by redis-benchmark. Needs wrk, "
                        + "redis-server and redis-benchmark (apt-get install redis-server redis-tools wrk). Takes about 5 "
                        + "minutes; progress on stderr, figures on stdout, ending with a line of key=value pairs "
                        + "(p99_single_ms=, p99_batch100_ms=, qps_single=, qps_redis=, qps_ratio_vs_redis=)."})
final class ServingBenchCommand implements Callable<Integer> {

    @Option(names = "--users", defaultValue = "100000", description = "Users with state (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--events-per-user", defaultValue = "10", description = "Events published per user (default: ${DEFAULT-VALUE}).")
    int eventsPerUser;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the events topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--stream-threads", defaultValue = "2", description = "Stream threads of the instance (default: ${DEFAULT-VALUE}, the service's).")
    int streamThreads;

    @Option(names = "--guarantee", defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
            description = "Processing guarantee, exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}, the service's).")
    String guarantee;

    @Option(names = "--rate", defaultValue = "5000", description = "Single gets per second of the fixed-rate phase (default: ${DEFAULT-VALUE}).")
    double singleRate;

    @Option(names = "--batch-rate", defaultValue = "50",
            description = "Batches per second of the fixed-rate batch phase (default: ${DEFAULT-VALUE}: with batches of 100, "
                    + "as many ids per second as the single-get phase).")
    double batchRate;

    @Option(names = "--batch-size", defaultValue = "100", description = "Ids per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--fixed-seconds", defaultValue = "30", description = "Length of each fixed-rate phase (default: ${DEFAULT-VALUE}).")
    long fixedSeconds;

    @Option(names = "--max-seconds", defaultValue = "20", description = "Length of each max-throughput phase (default: ${DEFAULT-VALUE}).")
    long maxSeconds;

    @Option(names = "--warmup-seconds", defaultValue = "10", description = "JIT warm-up before the phases (default: ${DEFAULT-VALUE}).")
    long warmupSeconds;

    @Option(names = "--connections", defaultValue = "32", description = "Connections of the fixed-rate load client (default: ${DEFAULT-VALUE}).")
    int fixedConnections;

    @Option(names = "--max-connections", defaultValue = "50",
            description = "Connections of wrk and clients of redis-benchmark for max throughput (default: ${DEFAULT-VALUE}, "
                    + "redis-benchmark's own; batches use a tenth).")
    int maxConnections;

    @Option(names = "--wrk-threads", defaultValue = "1",
            description = "wrk threads (default: ${DEFAULT-VALUE}, like redis-benchmark's one thread).")
    int wrkThreads;

    @Option(names = "--redis-requests", defaultValue = "1500000", description = "GETs of redis-benchmark (default: ${DEFAULT-VALUE}).")
    long redisRequests;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of events and request mix (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--answer-cache-mb",
            description = "MiB of kept single-get answers (rollstream.serving.answer-cache.bytes); 0 measures reads "
                    + "without them (default: the service's).")
    Long answerCacheMb;

    @Option(names = "--write-rate", defaultValue = "0",
            description = "Events per second sent to the instance while single gets are measured, to see kept answers "
                    + "dropped as their users change; the single-get figures are then not the targets' measure "
                    + "(default: ${DEFAULT-VALUE}, none).")
    double writeRate;

    @Override
    public Integer call() throws Exception {
        new ServingBenchmark(new ServingBenchmark.Options(users, eventsPerUser, partitions, streamThreads, guarantee,
                singleRate, batchRate, batchSize, Duration.ofSeconds(fixedSeconds), Duration.ofSeconds(maxSeconds),
                Duration.ofSeconds(warmupSeconds), fixedConnections, maxConnections, wrkThreads, redisRequests, seed,
                answerCacheMb == null ? null : answerCacheMb * 1024 * 1024, writeRate),
                System.out, System.err).run();
        return 0;
    }
}
