package io.rollstream.cli;

import io.rollstream.collector.bench.CollectorBenchmark;
import io.rollstream.devstack.DevStack;
import io.rollstream.generator.ClickstreamModel;
import io.rollstream.schemas.ClickEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        final CollectorBenchmark.Options options = new CollectorBenchmark.Options(batch, connections, warmupEvents);
        System.err.println("Starting Kafka (in-process KRaft) and Apicurio Registry (child process) ...");
        try (DevStack stack = DevStack.start()) {
            stack.kafka().createTopics(partitions, CollectorBenchmark.PRODUCER_TOPIC, CollectorBenchmark.COLLECTOR_TOPIC);
            final CollectorBenchmark.Report report = new CollectorBenchmark(stack.bootstrapServers(), stack.registryUrl(),
                    options, System.err).run(events(Math.max(events, warmupEvents)));
            System.out.printf("collector: %,.0f events/s accepted over HTTP (%,.0f requests/s of %d events, %d connections)%n",
                    report.collectorEventsPerSecond(), report.collectorRequestsPerSecond(), batch, connections);
            System.out.printf("KafkaProducer: %,.0f events/s for the same events%n", report.producerEventsPerSecond());
            System.out.printf("ratio: %.2f of the producer's rate (target: at least 0.5)%n", report.ratioVsProducer());
            System.out.println(report.summary());
        }
        return 0;
    }

    /** Realistic events (Zipf users, funnels), a millisecond apart, ending now: all within the collector's limits. */
    private List<ClickEvent> events(final int count) {
        final ClickstreamModel model = new ClickstreamModel(seed, users, Math.max(100, users / 5));
        final Instant first = Instant.now().minusMillis(count);
        final List<ClickEvent> generated = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            generated.add(model.next(first.plusMillis(i)));
        }
        return generated;
    }
}
