package io.rollstream.cli;

import io.rollstream.bench.EngineBenchmark;
import io.rollstream.bench.EngineBenchmarkOptions;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.rocksdb.BoundedMemoryRocksDBConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** Benchmarks, one subcommand each. They measure this machine, so they are not part of the tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure Rollstream on this machine. Prints figures and a last line of key=value pairs.",
        subcommands = {BenchCommand.Engine.class, CollectorBenchCommand.class, ServingBenchCommand.class,
                FreshnessBenchCommand.class, StateWritesBenchCommand.class})
final class BenchCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = {"Events/s of the Rollstream engine against a bare count and against DSL hopping windows.",
                    "",
                    "On one generated clickstream, in one process against a real in-process Kafka broker, measures "
                            + "(a) a bare groupByKey().count(), the floor of any stateful Kafka Streams application, "
                            + "(b) the Rollstream topology with the default features, and (c) the same windows written "
                            + "with DSL hopping windows advancing by 1 minute (a bounded run, extrapolated), and (d) a bare "
                            + "count per key of each entity of the features file, moving events between partitions as (b) "
                            + "does: the floor of any implementation keeping each entity in a store of its own. Takes a few "
                            + "minutes; progress goes to stderr, results to stdout, ending with a line of key=value pairs."})
    static final class Engine implements Callable<Integer> {

        @Mixin
        GeneratedInputOptions input;

        @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the events topic (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--threads", defaultValue = "1",
                description = "Stream threads of every variant (default: ${DEFAULT-VALUE}; the broker runs in this process too).")
        int threads;

        @Option(names = "--guarantee", split = ",", defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
                description = "Processing guarantees to run every variant under, comma-separated, e.g. "
                        + StreamsConfig.EXACTLY_ONCE_V2 + "," + StreamsConfig.AT_LEAST_ONCE + "; the first gives the summary's "
                        + "plain keys (default: ${DEFAULT-VALUE}, what the service runs; each more adds minutes).")
        List<String> guarantees;

        @Option(names = "--commit-interval-ms", defaultValue = "100",
                description = "commit.interval.ms of every variant (default: ${DEFAULT-VALUE}, the service's default).")
        long commitIntervalMs;

        @Option(names = "--compression", defaultValue = FeatureStoreConfig.PRODUCER_COMPRESSION_DEFAULT,
                description = "compression.type of every variant's producers, which write the changelogs and relay "
                        + "topics: none, gzip, snappy, lz4 or zstd (default: ${DEFAULT-VALUE}, the service's default).")
        String compression;

        @Option(names = "--rocksdb-memory-mb", defaultValue = "256",
                description = "Memory of the shared RocksDB cache (" + BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG
                        + ") (default: ${DEFAULT-VALUE}).")
        long rocksDbMemoryMb;

        @Option(names = "--skip-dsl", description = "Do not run (c), the DSL hopping-window variant.")
        boolean skipDsl;

        @Option(names = "--dsl-seconds", defaultValue = "60",
                description = "How long (c) runs before its rate is taken and extrapolated (default: ${DEFAULT-VALUE}).")
        long dslSeconds;

        @Option(names = "--dsl-max-events", defaultValue = "0",
                description = "Stop (c) after this many events even within its time; 0 for no cap (default: ${DEFAULT-VALUE}).")
        long dslMaxEvents;

        @Option(names = "--warmup-events", defaultValue = "200000",
                description = "Events (a), (b) and (d) process unmeasured first, to warm the JIT; 0 for none (default: ${DEFAULT-VALUE}).")
        long warmupEvents;

        @Option(names = "--features", paramLabel = "FILE",
                description = "A features file for (b) to compute, (c) to take its windows from and (d) its entities, instead of the "
                        + "default one the targets are about: to measure what a feature, an entity or deduplication "
                        + "costs (docs/benchmarks.md). Default: the built-in default features.")
        Path featuresFile;

        @Override
        public Integer call() throws Exception {
            final EngineBenchmarkOptions options = new EngineBenchmarkOptions(input.events, input.users, input.items,
                    input.seed, input.span(), partitions, threads, guarantees, Duration.ofMillis(commitIntervalMs),
                    compression, rocksDbMemoryMb * 1024 * 1024, skipDsl, Duration.ofSeconds(dslSeconds), dslMaxEvents, warmupEvents,
                    featuresFile);
            new EngineBenchmark(options, System.out, System.err).run();
            return 0;
        }
    }
}
