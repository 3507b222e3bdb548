package io.rollstream.cli;

import io.rollstream.generator.Fault;
import io.rollstream.generator.Faults;
import io.rollstream.generator.GeneratorRun;
import io.rollstream.schemas.contract.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/** Publishes a synthetic clickstream to an existing cluster, with a progress line every second. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Publish a realistic synthetic clickstream (Zipf users and items, sessions, funnels)",
                "in the Confluent wire format, at a rate or as fast as possible, for a count or a duration.",
                "Optionally injects faults (out-of-order, late, duplicate, malformed records) to test the",
                "pipeline. Deterministic for a given --seed."})
final class GenerateCommand implements Callable<Integer> {

    private static final long DEFAULT_COUNT = 10_000;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port[,...].")
    String bootstrapServers;

    @Option(names = "--registry-url", required = true, description = "Confluent-compatible schema registry base URL.")
    String registryUrl;

    @Option(names = "--topic", defaultValue = Topics.EVENTS, description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--rate", defaultValue = "1000", description = "Records per second; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--count", description = "Records to publish, faults included; 0 for no limit "
            + "(default: " + DEFAULT_COUNT + ", or no limit with --duration).")
    Long count;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "How long to publish, e.g. 30s, 10m, 2h; with --count, whichever comes first.")
    Duration duration;

    @Option(names = "--users", defaultValue = "100000", description = "Distinct users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "20000", description = "Distinct items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out-of-order-pct", defaultValue = "0",
            description = "Percentage of events whose event_time is moved back by up to --out-of-order-max (default: ${DEFAULT-VALUE}).")
    double outOfOrderPct;

    @Option(names = "--out-of-order-max", defaultValue = "10m", converter = DurationConverter.class,
            description = "How far back an out-of-order event goes at most (default: ${DEFAULT-VALUE}).")
    Duration maxDisorder;

    @Option(names = "--late-pct", defaultValue = "0",
            description = "Percentage of events moved back by --late-by, past the allowed lateness: dead-lettered as LATE_EVENT (default: ${DEFAULT-VALUE}).")
    double latePct;

    @Option(names = "--late-by", defaultValue = "31d", converter = DurationConverter.class,
            description = "How far back a late event goes; longer than the longest window (default: ${DEFAULT-VALUE}).")
    Duration lateBy;

    @Option(names = "--duplicate-pct", defaultValue = "0",
            description = "Percentage of events sent twice with the same event id: they must count once (default: ${DEFAULT-VALUE}).")
    double duplicatePct;

    @Option(names = "--malformed-pct", defaultValue = "0",
            description = "Percentage of records carrying garbage bytes instead of Avro: dead-lettered as MALFORMED (default: ${DEFAULT-VALUE}).")
    double malformedPct;

    @Override
    public Integer call() throws Exception {
        final Duration runFor = duration == null ? Duration.ZERO : duration;
        final long records = count != null ? count : duration != null ? 0 : DEFAULT_COUNT;
        final GeneratorRun.Settings settings = new GeneratorRun.Settings(bootstrapServers, topic, seed, users, items,
                rate, records, runFor, new Faults(outOfOrderPct, maxDisorder, latePct, lateBy, duplicatePct, malformedPct));
        final PrintStream err = System.err;
        try (GeneratorRun run = GeneratorRun.start(settings, Serializers.clickEvents(registryUrl))) {
            Runtime.getRuntime().addShutdownHook(new Thread(run::close, "rollstream-generate-shutdown"));
            final Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    run.awaitCompletion();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            final long start = System.nanoTime();
            long previousSent = 0;
            long previousNanos = start;
            while (waiter.isAlive()) {
                waiter.join(Duration.ofSeconds(1));
                final long now = System.nanoTime();
                final long sent = run.sent();
                err.print("\r" + progress(run, (sent - previousSent) / seconds(now - previousNanos)) + "   ");
                previousSent = sent;
                previousNanos = now;
            }
            run.close();
            err.println("\r" + progress(run, run.sent() / seconds(System.nanoTime() - start)) + " (average)");
            if (run.lastError() != null) {
                err.println("last error: " + run.lastError());
            }
            return run.failed() == 0 ? 0 : 2;
        }
    }

    /** {@code sent 12,000  acked 11,990  errors 0  1,000 events/s  injected: 120 out-of-order, 60 duplicate}. */
    static String progress(final GeneratorRun run, final double eventsPerSecond) {
        final StringJoiner faults = new StringJoiner(", ", "  injected: ", "").setEmptyValue("");
        for (final Fault fault : Fault.values()) {
            if (fault != Fault.NONE && run.injected(fault) > 0) {
                faults.add(String.format("%,d %s", run.injected(fault), fault.label()));
            }
        }
        return String.format("sent %,d  acked %,d  errors %,d  %,.0f events/s%s", run.sent(), run.acknowledged(),
                run.failed(), eventsPerSecond, faults);
    }

    private static double seconds(final long nanos) {
        return Math.max(1e-9, nanos / 1e9);
    }
}
