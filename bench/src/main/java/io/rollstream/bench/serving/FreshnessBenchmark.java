package io.rollstream.bench.serving;

import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.topologies.ingest.OwnerPartition;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rollstream bench freshness}: how soon a read reflects an event, under a steady load.
 *
 * <p>One feature-store instance (exactly_once_v2, the configured commit interval) takes a steady
 * stream of pre-encoded events from a paced producer. Every {@code markerEvery} a marker event goes
 * out for one of the marker users (one per partition, in turn) through the same producer, and a
 * probe reading the marker users over HTTP every {@code pollEvery} records the time from the
 * marker's produce to the first answer whose {@code last_event_time} shows it. The first
 * {@code warmup} is not recorded: in its first half the rate ramps up from 0, so the JIT warms up
 * without leaving a backlog behind, in its second half it runs at the full rate; it goes on until
 * the backlog is under half a second of events (at most {@code maxWarmup}), so the figure is the
 * steady state's and not the time a cold start takes to catch up (which is reported apart).
 */
public final class FreshnessBenchmark {

    /** The knobs; the defaults are what {@code docs/benchmarks.md} records. */
    public record Options(double rate, Duration duration, Duration warmup, Duration maxWarmup, Duration markerEvery,
                          Duration pollEvery,
                          String guarantee, long commitIntervalMs, int partitions, int streamThreads, int users,
                          int poolSize, long seed) {
    }

    private static final Duration DRAIN = Duration.ofSeconds(10);
    /** The backlog, in seconds of events, under which the warm-up counts as over. */
    private static final double SETTLED_SECONDS = 0.5;

    private final Options options;
    private final PrintStream out;
    private final Report report;

    public FreshnessBenchmark(final Options options, final PrintStream out, final PrintStream progress) {
        this.options = options;
        this.out = out;
        this.report = new Report(progress);
    }

    public void run() throws IOException, InterruptedException {
        out.println("machine: " + Machine.describe() + ", load average " + Machine.loadAverage() + " at start");
        final Map<String, Object> settings = new HashMap<>();
        settings.put(FeatureStoreConfig.PROCESSING_GUARANTEE, options.guarantee());
        settings.put(FeatureStoreConfig.COMMIT_INTERVAL_MS, Long.toString(options.commitIntervalMs()));
        settings.put(FeatureStoreConfig.STREAM_THREADS, Integer.toString(options.streamThreads()));
        settings.put(FeatureStoreConfig.APPLICATION_ID, "rollstream-bench-freshness");
        try (ServiceUnderTest service = ServiceUnderTest.start(options.partitions(), settings, report)) {
            final SchemaRegistryClient registry = RestSchemaRegistryClient.builder(service.registryUrl()).build();
            final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues());
            final long encodeStart = System.nanoTime();
            final PreEncodedEvents events = PreEncodedEvents.encode(options.poolSize(), options.users(), options.seed(),
                    Topics.EVENTS, serializer);
            events.verify(new ConfluentAvroDeserializer<>(registry, ClickEvent.class), Topics.EVENTS);
            report.say("Encoded a pool of %,d events (%,d Zipf users) in %.1f s; each send patches a fresh event id and the current time",
                    options.poolSize(), options.users(), (System.nanoTime() - encodeStart) / 1e9);
            final List<String> markers = markerUsers(options.partitions());
            report.say("Marker users %s (one per partition); a marker every %d ms, reads every %d ms", markers,
                    options.markerEvery().toMillis(), options.pollEvery().toMillis());

            final Result result;
            try (MarkerProbe probe = new MarkerProbe(service.api(), markers, options.pollEvery().toNanos());
                 Backlog backlog = new Backlog(service.bootstrapServers(), service.applicationId(), service.catalog())) {
                probe.start();
                final PacedProducer producer = new PacedProducer(service.bootstrapServers(), Topics.EVENTS, events, serializer,
                        options.rate(), options.warmup().dividedBy(2), markers, options.markerEvery(), probe);
                try {
                    result = drive(producer, probe, backlog, markers);
                } finally {
                    producer.close();
                }
            }
            print(result);
            out.println("stream threads (Kafka Streams metrics, last 30 s window): " + threadMetrics(service.service().streams()));
        }
        out.println(report.summaryLine());
    }

    private record Result(double rateEps, double processedEps, long events, long failed, double warmupSeconds,
                          long warmupPeakBacklog, boolean steady, Latencies.Summary freshness,
                          Map<String, Latencies.Summary> byMarker, int unseen, double unseenOldestMs, long polls,
                          long pollFailures, long backlogEnd, double othersCpuPercent, double oursCpuPercent) {
    }

    private Result drive(final PacedProducer producer, final MarkerProbe probe, final Backlog backlog,
                         final List<String> markers) throws InterruptedException {
        final long settledBacklog = (long) (options.rate() * SETTLED_SECONDS);
        report.say("Producing %,.0f events/s: warm-up of at least %d s (ramping up over the first %d s) until the backlog is "
                        + "under %,d records (%.1f s of events; at most %d s), then %d s measured ...", options.rate(),
                options.warmup().toSeconds(), options.warmup().dividedBy(2).toSeconds(), settledBacklog, SETTLED_SECONDS,
                options.maxWarmup().toSeconds(), options.duration().toSeconds());
        final long start = System.nanoTime();
        producer.start();
        final long warmupEnd = start + options.warmup().toNanos();
        final long warmupDeadline = start + Math.max(options.warmup().toNanos(), options.maxWarmup().toNanos());
        long measureFrom = -1;
        long measureTo = Long.MAX_VALUE;
        long peakBacklog = 0;
        boolean steady = false;
        long ackedAtStart = 0;
        long processedAtStart = 0;
        CpuMeter.Snapshot cpuAtStart = null;
        long lastSent = 0;
        long lastAt = start;
        for (int tick = 1; measureFrom < 0 || System.nanoTime() < measureTo; tick++) {
            Thread.sleep(Math.max(1, Math.min(1_000, (measureTo - System.nanoTime()) / 1_000_000)));
            final long now = System.nanoTime();
            if (producer.firstFailure() != null) {
                throw new IllegalStateException("the producer failed: " + producer.firstFailure(), producer.firstFailure());
            }
            final long backlogNow = backlogOf(backlog);
            if (measureFrom < 0) {
                peakBacklog = Math.max(peakBacklog, backlogNow);
                steady = backlogNow >= 0 && backlogNow <= settledBacklog;
                if (now >= warmupEnd && (steady || now >= warmupDeadline)) {
                    measureFrom = now;
                    measureTo = now + options.duration().toNanos();
                    ackedAtStart = producer.acknowledged();
                    processedAtStart = processedOf(backlog);
                    cpuAtStart = CpuMeter.now();
                    probe.measureFromNow();
                    report.say(steady ? "Warm-up over after %.0f s (backlog peaked at %,d records, now %,d); measuring"
                                    : "Warm-up cut off at %.0f s with the backlog still at %,d records (peak %,d): the "
                                    + "feature store does not keep up; measuring anyway", (now - start) / 1e9,
                            steady ? peakBacklog : backlogNow, steady ? backlogNow : peakBacklog);
                }
            }
            if (tick % 5 == 0) {
                final long sent = producer.sent();
                final Latencies.Summary sofar = probe.summary();
                report.say("  %,.0f events/s produced, %,d acknowledged in all; backlog %,d records; markers: %d seen (p50 %.0f ms, "
                                + "p99 %.0f ms so far), %d pending, oldest %.0f ms",
                        (sent - lastSent) / ((now - lastAt) / 1e9), producer.acknowledged(), backlogNow, sofar.count(),
                        sofar.p50Ms(), sofar.p99Ms(), probe.pendingCount(), probe.oldestPendingMs());
                lastSent = sent;
                lastAt = now;
            }
        }
        final double warmupSeconds = (measureFrom - start) / 1e9;
        final long ackedAtEnd = producer.acknowledged();
        final long processedAtEnd = processedOf(backlog);
        final CpuMeter.Snapshot cpuAtEnd = CpuMeter.now();
        producer.stopMarkers();
        report.say("Measured window over; waiting up to %d s (load still on) for the last markers to show ...", DRAIN.toSeconds());
        final long drainUntil = System.nanoTime() + DRAIN.toNanos();
        while (probe.pendingCount() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(20);
        }
        final List<PacedProducer.Marker> unseen = probe.unseen();
        final double unseenOldestMs = unseen.stream().mapToDouble(marker -> (System.nanoTime() - marker.producedNanos()) / 1e6)
                .max().orElse(0);
        final long backlogEnd = backlogOf(backlog);
        final Map<String, Latencies.Summary> byMarker = new java.util.LinkedHashMap<>();
        for (final String marker : markers) {
            byMarker.put(marker, probe.summary(marker));
        }
        final double seconds = options.duration().toNanos() / 1e9;
        return new Result((ackedAtEnd - ackedAtStart) / seconds, (processedAtEnd - processedAtStart) / seconds,
                producer.sent(), producer.failed(), warmupSeconds, peakBacklog, steady, probe.summary(), byMarker,
                unseen.size(), unseenOldestMs, probe.polls(), probe.pollFailures(), backlogEnd,
                CpuMeter.othersPercent(cpuAtStart, cpuAtEnd), CpuMeter.oursPercent(cpuAtStart, cpuAtEnd));
    }

    /** Events of the events topic the feature store has committed as processed; -1 if the broker did not say. */
    private static long processedOf(final Backlog backlog) {
        try {
            return backlog.now().eventsCommitted();
        } catch (final RuntimeException e) {
            return -1;
        }
    }

    private static long backlogOf(final Backlog backlog) {
        try {
            return backlog.now().remaining();
        } catch (final RuntimeException e) {
            return -1;
        }
    }

    /** Commit and processing figures of each stream thread: where a marker waits between its fetch and a read. */
    static String threadMetrics(final org.apache.kafka.streams.KafkaStreams streams) {
        final java.util.Set<String> wanted = java.util.Set.of("commit-latency-avg", "commit-latency-max", "commit-rate",
                "process-rate", "process-latency-avg", "poll-latency-avg", "poll-records-avg", "blocked-time-ns-total");
        final java.util.Map<String, java.util.Map<String, String>> byThread = new java.util.TreeMap<>();
        streams.metrics().forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics") && wanted.contains(name.name())
                    && metric.metricValue() instanceof Number value) {
                final String thread = name.tags().getOrDefault("thread-id", "?").replaceAll(".*-(StreamThread-\\d+)$", "$1");
                byThread.computeIfAbsent(thread, t -> new java.util.TreeMap<>()).put(name.name(),
                        String.format(Locale.ROOT, "%.1f", value.doubleValue()));
            }
        });
        return byThread.toString();
    }

    /** One user id per partition, so every partition's path is measured in turn. */
    static List<String> markerUsers(final int partitions) {
        final OwnerPartition owner = new OwnerPartition(partitions);
        final String[] byPartition = new String[partitions];
        int found = 0;
        for (int i = 0; found < partitions; i++) {
            final String user = "freshness-marker-" + i;
            final int partition = owner.of(user);
            if (byPartition[partition] == null) {
                byPartition[partition] = user;
                found++;
            }
        }
        return new ArrayList<>(List.of(byPartition));
    }

    private void print(final Result result) {
        final Latencies.Summary freshness = result.freshness();
        out.printf(Locale.ROOT, "feature store: 1 instance, %s, commit.interval.ms %d, %d stream threads, %d partitions, "
                        + "default features file; producer linger.ms %d, acks=all, idempotent%n",
                options.guarantee(), options.commitIntervalMs(), options.streamThreads(), options.partitions(),
                PacedProducer.LINGER_MS);
        out.printf(Locale.ROOT, "warm-up: %.0f s; backlog peaked at %,d records; %s%n", result.warmupSeconds(),
                result.warmupPeakBacklog(), result.steady() ? "steady (backlog under half a second of events) when the "
                        + "measurement began" : "NOT steady when the measurement began: the feature store did not catch up");
        out.printf(Locale.ROOT, "load: %,.0f events/s acknowledged over the %d s measured (target %,.0f), %,.0f events/s "
                        + "processed (committed) meanwhile; %,d events in all, %d failed; backlog at the end %,d records%n",
                result.rateEps(), options.duration().toSeconds(), options.rate(), result.processedEps(), result.events(),
                result.failed(), result.backlogEnd());
        out.printf(Locale.ROOT, "freshness (produce -> first read showing it), %d markers: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
                        + "p99.9 %.1f ms, max %.1f ms; %d never seen%s%n", freshness.count(), freshness.p50Ms(),
                freshness.p90Ms(), freshness.p99Ms(), freshness.p999Ms(), freshness.maxMs(), result.unseen(),
                result.unseen() > 0 ? String.format(Locale.ROOT, " (oldest %.0f ms old)", result.unseenOldestMs()) : "");
        final OwnerPartition owner = new OwnerPartition(options.partitions());
        for (final Map.Entry<String, Latencies.Summary> marker : result.byMarker().entrySet()) {
            out.printf(Locale.ROOT, "  partition %d (%s): %d markers, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    owner.of(marker.getKey()), marker.getKey(), marker.getValue().count(), marker.getValue().p50Ms(),
                    marker.getValue().p99Ms(), marker.getValue().maxMs());
        }
        out.printf(Locale.ROOT, "reads: %,d polls, %d failed; CPU: this benchmark %.0f%%, other processes %.0f%% of the machine%n",
                result.polls(), result.pollFailures(), result.oursCpuPercent(), result.othersCpuPercent());
        // A marker never seen is at least as late as the run is long: it counts as the slowest.
        final double p99 = result.unseen() > 0 && result.unseen() >= Math.max(1, (freshness.count() + result.unseen()) / 100)
                ? Math.max(freshness.p99Ms(), result.unseenOldestMs()) : freshness.p99Ms();
        final boolean met = p99 <= 500 && result.rateEps() >= options.rate() * 0.98;
        out.printf(Locale.ROOT, "target: p99 <= 500 ms at %,.0f events/s: %s%n", options.rate(), met ? "met" : "MISSED");
        report.put("bench", "freshness");
        report.put("guarantee", options.guarantee());
        report.put("commit_interval_ms", options.commitIntervalMs());
        report.put("rate_eps", result.rateEps(), 0);
        report.put("target_rate_eps", options.rate(), 0);
        report.put("processed_eps", result.processedEps(), 0);
        report.put("steady", Boolean.toString(result.steady()));
        report.put("warmup_s", result.warmupSeconds(), 0);
        report.put("warmup_backlog_peak", result.warmupPeakBacklog());
        report.put("markers", freshness.count());
        report.put("unseen", result.unseen());
        report.put("freshness_p50_ms", freshness.p50Ms(), 1);
        report.put("freshness_p90_ms", freshness.p90Ms(), 1);
        report.put("freshness_p99_ms", p99, 1);
        report.put("freshness_max_ms", Math.max(freshness.maxMs(), result.unseenOldestMs()), 1);
        report.put("backlog_end", result.backlogEnd());
        report.put("others_cpu_pct", result.othersCpuPercent(), 0);
        report.put("target_met", Boolean.toString(met));
    }
}
