package io.rollstream.collector.bench;

import io.rollstream.collector.CollectorServer;
import io.rollstream.collector.CollectorSettings;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Events per second the HTTP collector accepts — each one validated, encoded and acknowledged by Kafka before
 * its answer — beside a plain {@code KafkaProducer} writing the same events in the same process to the same
 * broker. The ratio says what the HTTP front costs against producing directly.
 *
 * <p>Both run once on a prefix of the events to warm the JIT and the connections, then on all of them. The
 * load client runs in this process too: on a small machine it competes with the collector for the CPUs, which
 * makes the ratio a lower bound.
 */
public final class CollectorBenchmark {

    /** The baseline's topic and the collector's: two, so each run's records can be told apart. */
    public static final String PRODUCER_TOPIC = "bench.producer";
    public static final String COLLECTOR_TOPIC = "bench.collector";

    /**
     * @param batchSize    events per HTTP request
     * @param connections  concurrent kept-alive connections of the load client
     * @param warmupEvents events of the warm-up round of each side
     */
    public record Options(int batchSize, int connections, int warmupEvents) {
        public Options {
            if (batchSize < 1 || connections < 1 || warmupEvents < 0) {
                throw new IllegalArgumentException("batch size and connections must be at least 1 and warm-up events "
                        + "not negative, got " + batchSize + ", " + connections + ", " + warmupEvents);
            }
        }
    }

    /** The figures of one run. */
    public record Report(long events, int batchSize, int connections, double producerEventsPerSecond,
                         double collectorEventsPerSecond, double collectorRequestsPerSecond, long unavailableAnswers) {

        public double ratioVsProducer() {
            return collectorEventsPerSecond / producerEventsPerSecond;
        }

        /** The last line: space-separated key=value pairs. */
        public String summary() {
            return String.format(Locale.ROOT, "events=%d batch=%d connections=%d cpus=%d producer_events_per_s=%.0f "
                            + "collector_events_per_s=%.0f collector_requests_per_s=%.0f unavailable_answers=%d "
                            + "ratio_vs_producer=%.2f", events, batchSize, connections,
                    Runtime.getRuntime().availableProcessors(), producerEventsPerSecond, collectorEventsPerSecond,
                    collectorRequestsPerSecond, unavailableAnswers, ratioVsProducer());
        }
    }

    private final String bootstrapServers;
    private final String registryUrl;
    private final Options options;
    private final PrintStream progress;

    /** Against a broker with {@link #PRODUCER_TOPIC} and {@link #COLLECTOR_TOPIC} created alike, and a registry. */
    public CollectorBenchmark(final String bootstrapServers, final String registryUrl, final Options options,
                              final PrintStream progress) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.options = options;
        this.progress = progress;
    }

    /** Runs both sides on {@code events} (all valid, event times within the last few minutes). */
    public Report run(final List<ClickEvent> events) throws InterruptedException {
        final List<ClickEvent> warmup = events.subList(0, Math.min(events.size(), options.warmupEvents()));
        final List<byte[]> warmupBodies = EventBodies.batches(warmup, options.batchSize());
        final List<byte[]> bodies = EventBodies.batches(events, options.batchSize());

        final double producerRate;
        try (SchemaRegistryClient registry = RestSchemaRegistryClient.builder(registryUrl).build()) {
            final ProducerBaseline baseline = new ProducerBaseline(bootstrapServers, registry);
            progress.printf("KafkaProducer: warming up with %,d events ...%n", warmup.size());
            baseline.send(PRODUCER_TOPIC, warmup);
            final long nanos = baseline.send(PRODUCER_TOPIC, events);
            producerRate = events.size() / (nanos / 1e9);
            progress.printf("KafkaProducer: %,d events in %.2f s: %,.0f events/s%n", events.size(), nanos / 1e9, producerRate);
        }

        try (CollectorServer collector = CollectorServer.start(CollectorSettings.builder()
                .bootstrapServers(bootstrapServers).registryUrl(registryUrl).topic(COLLECTOR_TOPIC).httpPort(0)
                .maxConcurrentRequests(Math.max(CollectorSettings.DEFAULT_MAX_CONCURRENT_REQUESTS, options.connections()))
                .build())) {
            final HttpLoad load = new HttpLoad(collector.uri().resolve("/v1/events"), options.connections());
            progress.printf("Collector: warming up with %,d events ...%n", warmup.size());
            load.post(warmupBodies);
            final long start = System.nanoTime();
            final HttpLoad.Result result = load.post(bodies);
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (result.accepted() != events.size()) {
                throw new IllegalStateException("The collector accepted " + result.accepted() + " of " + events.size()
                        + " events; all are valid, so this is a bug");
            }
            final double collectorRate = events.size() / seconds;
            progress.printf("Collector: %,d events in %,d requests of %d over %d connections in %.2f s: %,.0f events/s "
                            + "(%d answers were 503 and retried)%n", events.size(), bodies.size(), options.batchSize(),
                    options.connections(), seconds, collectorRate, result.unavailable());
            return new Report(events.size(), options.batchSize(), options.connections(), producerRate, collectorRate,
                    bodies.size() / seconds, result.unavailable());
        }
    }
}
