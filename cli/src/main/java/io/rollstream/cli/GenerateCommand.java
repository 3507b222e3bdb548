package io.rollstream.cli;

import io.rollstream.generator.GeneratorRun;
import io.rollstream.topologies.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Publishes a synthetic clickstream to an existing cluster, with a progress line. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Publish a realistic synthetic clickstream (Zipf users and items, sessions, funnels)",
                "in the Confluent wire format. Deterministic for a given --seed."})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port[,...].")
    String bootstrapServers;

    @Option(names = "--registry-url", required = true, description = "Confluent-compatible schema registry base URL.")
    String registryUrl;

    @Option(names = "--topic", defaultValue = Topics.EVENTS, description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--rate", defaultValue = "1000", description = "Events per second; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--count", defaultValue = "10000", description = "Events to publish; 0 for until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--users", defaultValue = "100000", description = "Distinct users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "20000", description = "Distinct items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (users < 1 || items < 1) {
            throw new IllegalArgumentException("--users and --items must be at least 1");
        }
        final long start = System.nanoTime();
        try (GeneratorRun run = GeneratorRun.start(new GeneratorRun.Settings(bootstrapServers, topic, seed, users, items,
                rate, count), Serializers.clickEvents(registryUrl))) {
            Runtime.getRuntime().addShutdownHook(new Thread(run::close, "rollstream-generate-shutdown"));
            final Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    run.awaitCompletion();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            while (waiter.isAlive()) {
                waiter.join(Duration.ofSeconds(1));
                progress(run, start, false);
            }
            run.close();
            progress(run, start, true);
            return run.failed() == 0 ? 0 : 2;
        }
    }

    private static void progress(final GeneratorRun run, final long startNanos, final boolean last) {
        final double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        System.err.printf("\rsent %,d  acknowledged %,d  failed %,d  %.0f events/s%s", run.sent(), run.acknowledged(),
                run.failed(), run.acknowledged() / seconds, last ? System.lineSeparator() : "");
        if (last && run.lastError() != null) {
            System.err.println("last error: " + run.lastError());
        }
    }
}
