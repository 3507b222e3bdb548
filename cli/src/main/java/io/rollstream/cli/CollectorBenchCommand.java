package io.rollstream.cli;

import io.rollstream.bench.CollectorBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code rollstream bench collector}: the HTTP collector's accepted events/s beside a plain KafkaProducer's. */
@Command(name = "collector", mixinStandardHelpOptions = true,
        description = {"Events/s the HTTP collector accepts (validated, encoded, acknowledged by Kafka) from a load",
                "client on loopback posting JSON batches, beside a plain KafkaProducer writing the same events,",
                "in one process against a real in-process Kafka broker and an Apicurio registry. Progress goes",
                "to stderr, figures to stdout, ending with a line of key=value pairs (ratio_vs_producer=)."})
final class CollectorBenchCommand implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "500000", description = "Events each side writes (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--batch", defaultValue = "100", description = "Events per HTTP request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--connections", defaultValue = "64",
            description = {"Concurrent connections of the load client, one virtual thread each (default: ${DEFAULT-VALUE}).",
                    "Each request waits for Kafka's acknowledgement (linger.ms 5 plus the broker's append), so one",
                    "connection carries at most a batch per round trip: like a fleet of web clients, the load needs",
                    "enough connections in flight to cover that latency."})
    int connections;

    @Option(names = "--warmup-events", defaultValue = "100000",
            description = "Events of each side's warm-up round, not measured (default: ${DEFAULT-VALUE}).")
    int warmupEvents;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--users", defaultValue = "100000", description = "Distinct users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated events (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        new CollectorBenchmark(new CollectorBenchmark.Options(events, batch, connections, Math.min(warmupEvents, events),
                partitions, users, seed), System.out, System.err).run();
        return 0;
    }
}
