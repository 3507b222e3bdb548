package io.rollstream.bench;

import io.rollstream.collector.CollectorServer;
import io.rollstream.collector.CollectorSettings;
import io.rollstream.devstack.DevStack;
import io.rollstream.generator.ClickstreamModel;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Events per second the HTTP collector accepts — each one validated, encoded and acknowledged by Kafka before
 * its answer — beside a plain {@code KafkaProducer} writing the same events in the same process to the same
 * broker. The ratio says what the HTTP front costs against producing directly.
 *
 * <p>Everything runs in this process: a real in-process KRaft broker and an Apicurio registry (child process)
 * from the dev stack, events from the generator's model, the baseline producer, the collector and the load client.
 * Both sides run once on a prefix of the events to warm the JIT and the connections, then on all of them. The
 * load client runs in this process too: on a small machine it competes with the collector for the CPUs, which
 * makes the ratio a lower bound. Each side's figure carries the share of the CPU other processes took meanwhile.
 */
public final class CollectorBenchmark {

    /** The baseline's topic and the collector's: two, so each run's records can be told apart. */
    public static final String PRODUCER_TOPIC = "bench.producer";
    public static final String COLLECTOR_TOPIC = "bench.collector";

    /**
     * @param events       events each side writes in the measured round
     * @param batchSize    events per HTTP request
     * @param connections  concurrent kept-alive connections of the load client
     * @param warmupEvents events of the warm-up round of each side (a prefix of the measured ones)
     * @param partitions   partitions of both topics
     * @param users        distinct users of the generated events
     * @param seed         seed of the generated events
     */
    public record Options(int events, int batchSize, int connections, int warmupEvents, int partitions, int users,
                          long seed) {
        public Options {
            if (events < 1 || batchSize < 1 || connections < 1 || partitions < 1 || users < 1) {
                throw new IllegalArgumentException("events, batch size, connections, partitions and users must be at "
                        + "least 1, got " + events + ", " + batchSize + ", " + connections + ", " + partitions + ", " + users);
            }
            if (warmupEvents < 0 || warmupEvents > events) {
                throw new IllegalArgumentException("warm-up events must be between 0 and the events (" + events + "), got "
                        + warmupEvents);
            }
        }
    }

    /** One side's measured round: its rate and how much of the CPU other processes took meanwhile (0..1, NaN unknown). */
    public record Side(double eventsPerSecond, double othersCpuShare) {
    }

    /** The figures of one run. */
    public record Report(long events, int batchSize, int connections, Side producer, Side collector,
                         double collectorRequestsPerSecond, long unavailableAnswers) {

        public double ratioVsProducer() {
            return collector.eventsPerSecond() / producer.eventsPerSecond();
        }

        /** The last line: space-separated key=value pairs. */
        public String summary() {
            return new SummaryLine()
                    .put("events", events)
                    .put("batch", batchSize)
                    .put("connections", connections)
                    .put("cpus", Runtime.getRuntime().availableProcessors())
                    .put("producer_events_per_s", producer.eventsPerSecond(), 0)
                    .put("collector_events_per_s", collector.eventsPerSecond(), 0)
                    .put("collector_requests_per_s", collectorRequestsPerSecond, 0)
                    .put("unavailable_answers", unavailableAnswers)
                    .put("others_cpu_max_pct", percent(Math.max(producer.othersCpuShare(), collector.othersCpuShare())))
                    .put("ratio_vs_producer", ratioVsProducer(), 2)
                    .toString();
        }
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream progress;

    /** Figures go to {@code out}, ending with the summary line; what is happening goes to {@code progress}. */
    public CollectorBenchmark(final Options options, final PrintStream out, final PrintStream progress) {
        this.options = options;
        this.out = out;
        this.progress = progress;
    }

    /** Starts the dev stack, runs both sides, prints the figures and stops everything. */
    public Report run() throws InterruptedException {
        progress.println("Starting Kafka (in-process KRaft) and Apicurio Registry (child process) ...");
        try (DevStack stack = DevStack.start()) {
            stack.kafka().createTopics(options.partitions(), PRODUCER_TOPIC, COLLECTOR_TOPIC);
            final Report report = run(stack.bootstrapServers(), stack.registryUrl(), events());
            out.println("machine: " + Machine.describe());
            out.printf("collector: %,.0f events/s accepted over HTTP (%,.0f requests/s of %d events, %d connections)%n",
                    report.collector().eventsPerSecond(), report.collectorRequestsPerSecond(), options.batchSize(),
                    options.connections());
            out.printf("KafkaProducer: %,.0f events/s for the same events%n", report.producer().eventsPerSecond());
            out.printf(Locale.ROOT, "ratio: %.2f of the producer's rate (target: at least 0.5)%n", report.ratioVsProducer());
            out.println(report.summary());
            return report;
        }
    }

    /** Realistic events (Zipf users, funnels), a millisecond apart, ending now: all within the collector's limits. */
    private List<ClickEvent> events() {
        final ClickstreamModel model = new ClickstreamModel(options.seed(), options.users(), Math.max(100, options.users() / 5));
        final Instant first = Instant.now().minusMillis(options.events());
        final List<ClickEvent> generated = new ArrayList<>(options.events());
        for (int i = 0; i < options.events(); i++) {
            generated.add(model.next(first.plusMillis(i)));
        }
        return generated;
    }

    private Report run(final String bootstrapServers, final String registryUrl, final List<ClickEvent> events)
            throws InterruptedException {
        final List<ClickEvent> warmup = events.subList(0, Math.min(events.size(), options.warmupEvents()));
        final List<byte[]> warmupBodies = EventBodies.batches(warmup, options.batchSize());
        final List<byte[]> bodies = EventBodies.batches(events, options.batchSize());

        final Side producer;
        try (SchemaRegistryClient registry = RestSchemaRegistryClient.builder(registryUrl).build()) {
            final ProducerBaseline baseline = new ProducerBaseline(bootstrapServers, registry);
            progress.printf("KafkaProducer: warming up with %,d events ...%n", warmup.size());
            baseline.send(PRODUCER_TOPIC, warmup);
            final CpuShare.Snapshot before = CpuShare.now();
            final long nanos = baseline.send(PRODUCER_TOPIC, events);
            producer = new Side(events.size() / (nanos / 1e9), CpuShare.othersBetween(before, CpuShare.now()));
            progress.printf("KafkaProducer: %,d events in %.2f s: %,.0f events/s (other processes took %s of the CPU)%n",
                    events.size(), nanos / 1e9, producer.eventsPerSecond(), percentText(producer.othersCpuShare()));
        }

        try (CollectorServer server = CollectorServer.start(CollectorSettings.builder()
                .bootstrapServers(bootstrapServers).registryUrl(registryUrl).topic(COLLECTOR_TOPIC).httpPort(0)
                .maxConcurrentRequests(Math.max(CollectorSettings.DEFAULT_MAX_CONCURRENT_REQUESTS, options.connections()))
                .build())) {
            final HttpLoad load = new HttpLoad(server.uri().resolve("/v1/events"), options.connections());
            progress.printf("Collector: warming up with %,d events ...%n", warmup.size());
            load.post(warmupBodies);
            final CpuShare.Snapshot before = CpuShare.now();
            final long start = System.nanoTime();
            final HttpLoad.Result result = load.post(bodies);
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (result.accepted() != events.size()) {
                throw new IllegalStateException("The collector accepted " + result.accepted() + " of " + events.size()
                        + " events; all are valid, so this is a bug");
            }
            final Side collector = new Side(events.size() / seconds, CpuShare.othersBetween(before, CpuShare.now()));
            progress.printf("Collector: %,d events in %,d requests of %d over %d connections in %.2f s: %,.0f events/s "
                            + "(%d answers were 503 and retried; other processes took %s of the CPU)%n", events.size(),
                    bodies.size(), options.batchSize(), options.connections(), seconds, collector.eventsPerSecond(),
                    result.unavailable(), percentText(collector.othersCpuShare()));
            return new Report(events.size(), options.batchSize(), options.connections(), producer, collector,
                    bodies.size() / seconds, result.unavailable());
        }
    }

    private static String percent(final double share) {
        return Double.isNaN(share) ? "unknown" : String.format(Locale.ROOT, "%.0f", 100 * share);
    }

    private static String percentText(final double share) {
        return Double.isNaN(share) ? "an unknown share" : percent(share) + "%";
    }
}
