package io.rollstream.bench;

import io.rollstream.devstack.EmbeddedKafka;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.serde.ClickEventSerde;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.topologies.RollstreamTopology;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code rollstream bench engine}: in one process and on the same input, the floor cost of a
 * stateful Kafka Streams application (a), the Rollstream topology (b) and the same windows
 * written with the DSL (c), each as its own application against a real in-process broker.
 *
 * <p>Why a broker rather than TopologyTestDriver: it is what production runs, so the numbers
 * include fetching, commits, changelog writes and (under exactly_once_v2) transactions, which the
 * test driver skips and which are a large share of the floor. The broker shares this machine's
 * CPUs with the application; every variant pays that equally. Why an in-memory schema registry
 * rather than Apicurio: a deserializer asks the registry once per schema id and caches the answer,
 * so a real registry would change no per-record cost while taking memory and CPU from the run.
 */
public final class EngineBenchmark {

    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final EngineBenchmarkOptions options;
    private final RollstreamUnderTest rollstream;
    private final PrintStream out;
    private final Progress progress;

    /**
     * @param out      the results (stdout): per-variant lines, ratios, and a last {@code key=value} line
     * @param progress progress while it runs (stderr)
     */
    public EngineBenchmark(final EngineBenchmarkOptions options, final PrintStream out, final PrintStream progress) {
        this.options = options;
        this.rollstream = RollstreamUnderTest.of(options.featuresFile());
        this.out = out;
        this.progress = new Progress(progress);
    }

    public EngineBenchmarkReport run() throws IOException {
        final Path stateRoot = Files.createTempDirectory("rollstream-bench-state-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return run(kafka, admin, stateRoot);
        } finally {
            FileTrees.delete(stateRoot);
        }
    }

    private EngineBenchmarkReport run(final EmbeddedKafka kafka, final Admin admin, final Path stateRoot) {
        printSetup();
        final List<String> topics = new ArrayList<>(List.of(Topics.EVENTS, Topics.DEAD_LETTERS));
        topics.addAll(rollstream.relayTopics());
        topics.addAll(EntityCountsTopology.relayTopics(rollstream.relayedEventTypes()));
        kafka.createTopics(options.partitions(), topics.toArray(String[]::new));
        final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient("rollstream-bench");
        final Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        progress.say("generating and publishing %,d events ...", options.events());
        final PublishedEvents input = PublishedEvents.publish(kafka.bootstrapServers(), options, registry, end, progress);
        out.printf("input: %,d events published once to %s (%d partitions, keyed by user id), %.0f bytes per value on average%n",
                input.count(), Topics.EVENTS, options.partitions(), input.averageValueBytes());

        progress.say("timing Avro decoding alone ...");
        final double decodeEps = AvroDecodeBaseline.eventsPerSecond(input.decodeSample(),
                new ConfluentAvroDeserializer<>(registry, ClickEvent.class));
        out.printf("context: Avro decoding alone, 1 thread, no Kafka: %,.0f events/s%n", decodeEps);

        final StreamsRun runs = new StreamsRun(new StreamsSettings(kafka.bootstrapServers(), stateRoot,
                options.streamThreads(), options.commitInterval(), options.compression(), options.rocksDbMemoryBytes()),
                progress);
        final Topologies topologies = new Topologies(registry, options.partitions(), rollstream);
        warmUp(runs, topologies, input.count());

        final List<Measurement> measurements = new ArrayList<>();
        long peakAfterRollstream = -1;
        for (final String guarantee : options.guarantees()) {
            out.printf("%n[%s]%n", guarantee);
            final Measurement count = measureWhole(runs, Variant.COUNT, topologies, guarantee, input.count());
            measurements.add(count);
            print(count);

            final Map<String, Long> before = TopicGrowth.endOffsets(admin, sideTopics());
            final Measurement rollstream = measureWhole(runs, Variant.ROLLSTREAM, topologies, guarantee, input.count());
            measurements.add(rollstream);
            print(rollstream);
            out.println("    " + TopicGrowth.describe(before, TopicGrowth.endOffsets(admin, sideTopics()))
                    + " (dead letters and re-keyed 0: every event was folded in on its owner partition)");
            final OptionalLong peak = ProcessMemory.peakResidentBytes();
            if (peakAfterRollstream < 0 && peak.isPresent()) {
                peakAfterRollstream = peak.getAsLong();
            }
            out.printf("    process peak RSS (VmHWM) after (b): %s MiB; heap in use %,d MiB of %,d MiB committed%n",
                    peak.isPresent() ? String.format("%,d", Machine.mebibytes(peak.getAsLong())) : "unknown",
                    Machine.mebibytes(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()),
                    Machine.mebibytes(Runtime.getRuntime().totalMemory()));

            final Measurement floor = measureWhole(runs, Variant.FLOOR, topologies, guarantee, input.count());
            measurements.add(floor);
            print(floor);

            Measurement dsl = null;
            if (!options.skipDsl()) {
                settle();
                progress.say("%s %s: bounded run, at most %s or %,d events", Variant.DSL.label(), guarantee,
                        DurationText.of(options.dslBudget()), options.dslEventLimit());
                dsl = runs.measure(topologies.of(Variant.DSL), "timed", guarantee,
                        new StreamsRun.Limits(options.dslEventLimit(), false, options.dslBudget()), input.count());
                measurements.add(dsl);
                print(dsl);
            }
            printRatios(guarantee, count, rollstream, floor, dsl);
        }
        final EngineBenchmarkReport report = new EngineBenchmarkReport(measurements, decodeEps, peakAfterRollstream);
        out.println();
        out.println(summary(report));
        return report;
    }

    private void printSetup() {
        out.println("rollstream bench engine");
        out.println("machine: " + Machine.describe());
        out.printf("input: %,d events, %,d users (Zipf), %,d items, seed %d, event times over the last %s, %.0f%% arriving up to %s late%n",
                options.events(), options.users(), options.items(), options.seed(), DurationText.of(options.span()),
                EventTimeline.LATE_SHARE * 100, DurationText.of(EventTimeline.MAX_LATENESS));
        out.println("       encoded once in the Confluent wire format (in-memory schema registry: a deserializer fetches a schema");
        out.println("       once per id, so a registry server would add no per-record cost)");
        out.println("driver: a real Kafka broker in this process (in-process KRaft); each variant is its own application with a");
        out.println("        fresh application.id and state, from the earliest offset; timed from the first record consumed to");
        out.println("        the commit covering its last record (committed offsets read every 50 ms); each line says how much");
        out.println("        of the machine's CPU other processes took meanwhile, and events per CPU-second this process (application,");
        out.println("        broker, GC, RocksDB) used: rates from a busy machine are not comparable, CPU-seconds nearly are");
        out.printf("settings, identical for all: %d stream thread(s), commit.interval.ms=%d, producer compression.type=%s,%n"
                        + "        statestore.cache.max.bytes=Kafka default,%n",
                options.streamThreads(), options.commitInterval().toMillis(), options.compression());
        out.printf("        changelogs on, rocksdb.config.setter=BoundedMemoryRocksDBConfig (%,d MiB shared), guarantees %s;%n",
                Machine.mebibytes(options.rocksDbMemoryBytes()), options.guarantees());
        out.printf("        (c) alone has max.poll.interval.ms=%d so that it stops soon after its budget (no effect on throughput)%n",
                StreamsApp.DSL_MAX_POLL_INTERVAL.toMillis());
        final List<Duration> windows = rollstream.windowLengths();
        out.println(Variant.COUNT.label() + ": " + Variant.COUNT.description() + "; values decoded with the same Avro deserializer");
        out.println(Variant.ROLLSTREAM.label() + ": " + Variant.ROLLSTREAM.description() + ": " + rollstream.describe());
        out.println(Variant.DSL.label() + ": " + Variant.DSL.description() + " over " + windows.stream().map(RollstreamUnderTest::label).toList()
                + ", grace " + DurationText.of(rollstream.allowedLateness()) + ", counts per event type: "
                + HoppingWindowsDslTopology.windowUpdatesPerEvent(windows) + " window updates per event; a bounded prefix, extrapolated");
        final List<String> floorRelays = EntityCountsTopology.relayTopics(rollstream.relayedEventTypes());
        out.println(Variant.FLOOR.label() + ": " + Variant.FLOOR.description() + ": entities "
                + rollstream.entities().stream().map(EntityCountsTopology.Entity::name).toList()
                + (floorRelays.isEmpty() ? ", no events relayed" : ", events relayed through " + floorRelays)
                + "; no windows, validation or dedupe: the floor of any implementation with a store per entity");
        if (options.warmupEvents() > 0) {
            out.printf("warm-up: (a), (b) and (d) first process %,d events unmeasured, so JIT compilation is not timed%n",
                    Math.min(options.warmupEvents(), options.events()));
        }
    }

    /** Topics besides the input that (b) writes: whether it dead-lettered, re-keyed or relayed events. */
    private List<String> sideTopics() {
        final List<String> topics = new ArrayList<>(List.of(Topics.DEAD_LETTERS));
        topics.addAll(rollstream.relayTopics());
        return topics;
    }

    private void warmUp(final StreamsRun runs, final Topologies topologies, final long inputEvents) {
        if (options.warmupEvents() == 0) {
            return;
        }
        final long events = Math.min(options.warmupEvents(), inputEvents);
        final String guarantee = options.guarantees().get(0);
        for (final Variant variant : List.of(Variant.COUNT, Variant.ROLLSTREAM, Variant.FLOOR)) {
            progress.say("%s warm-up: %,d events, not measured", variant.label(), events);
            runs.measure(topologies.of(variant), "warm-up", guarantee, new StreamsRun.Limits(events, false, null), inputEvents);
        }
    }

    private Measurement measureWhole(final StreamsRun runs, final Variant variant, final Topologies topologies,
                                     final String guarantee, final long inputEvents) {
        settle();
        progress.say("%s %s: all %,d events", variant.label(), guarantee, inputEvents);
        return runs.measure(topologies.of(variant), "timed", guarantee, new StreamsRun.Limits(inputEvents, true, null),
                inputEvents);
    }

    /** Lets the previous run's garbage and RocksDB background work go before the next is timed. */
    private static void settle() {
        System.gc();
        try {
            Thread.sleep(SETTLE);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between benchmark runs", e);
        }
    }

    private void print(final Measurement m) {
        out.printf("%-15s %-16s %,11d events %8.2f s %10s events/s %10s events/CPU-s  (other processes: %s CPU)%s%n",
                m.variant().label(), m.guarantee(), m.events(), m.seconds(), rate(m.eventsPerSecond()),
                Double.isNaN(m.cpuSeconds()) ? "?" : rate(m.eventsPerCpuSecond()),
                Double.isNaN(m.othersCpuShare()) ? "?" : String.format("%.0f%%", 100 * m.othersCpuShare()),
                m.coveredWholeInput() ? "" : String.format(
                        "  (bounded: %.1f%% of the input; all of it would take about %.0f min at this rate)",
                        100.0 * m.events() / m.inputEvents(), m.secondsForWholeInput() / 60));
    }

    /** Whole events per second, except for rates so low that the fraction matters (the DSL's). */
    private static int decimalsFor(final double eventsPerSecond) {
        return eventsPerSecond < 100 ? 2 : 0;
    }

    private static String rate(final double eventsPerSecond) {
        return String.format("%,." + decimalsFor(eventsPerSecond) + "f", eventsPerSecond);
    }

    private void printRatios(final String guarantee, final Measurement count, final Measurement rollstream,
                             final Measurement floor, final Measurement dsl) {
        final double vsCount = rollstream.eventsPerSecond() / count.eventsPerSecond();
        out.printf("ratios (%s): (b)/(a) = %.2f (target >= 0.5: %s), per CPU-second %.2f; (d)/(a) = %.2f, (b)/(d) = %.2f",
                guarantee, vsCount, vsCount >= 0.5 ? "met" : "missed",
                rollstream.eventsPerCpuSecond() / count.eventsPerCpuSecond(),
                floor.eventsPerSecond() / count.eventsPerSecond(), rollstream.eventsPerSecond() / floor.eventsPerSecond());
        if (dsl != null) {
            final double vsDsl = rollstream.eventsPerSecond() / dsl.eventsPerSecond();
            out.printf(", (b)/(c) = %,.1f (target >= 10: %s)", vsDsl, vsDsl >= 10 ? "met" : "missed");
        }
        out.println();
    }

    private String summary(final EngineBenchmarkReport report) {
        final SummaryLine line = new SummaryLine()
                .put("events", options.events())
                .put("users", options.users())
                .put("partitions", options.partitions())
                .put("threads", options.streamThreads())
                .put("guarantee", options.guarantees().get(0))
                .put("features", options.featuresFile() == null ? "default" : options.featuresFile().getFileName().toString());
        for (final String guarantee : options.guarantees()) {
            final String suffix = guarantee.equals(options.guarantees().get(0)) ? ""
                    : guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) ? "_eos" : "_alos";
            final Measurement count = report.find(Variant.COUNT, guarantee).orElseThrow();
            final Measurement rollstream = report.find(Variant.ROLLSTREAM, guarantee).orElseThrow();
            final Measurement dsl = report.find(Variant.DSL, guarantee).orElse(null);
            final Measurement floor = report.find(Variant.FLOOR, guarantee).orElseThrow();
            line.put("count_eps" + suffix, count.eventsPerSecond(), decimalsFor(count.eventsPerSecond()))
                    .put("rollstream_eps" + suffix, rollstream.eventsPerSecond(), decimalsFor(rollstream.eventsPerSecond()));
            if (dsl == null) {
                line.put("dsl_eps" + suffix, "skipped");
            } else {
                line.put("dsl_eps" + suffix, dsl.eventsPerSecond(), decimalsFor(dsl.eventsPerSecond()))
                        .put("dsl_events" + suffix, dsl.events());
            }
            line.put("ratio_vs_count" + suffix, rollstream.eventsPerSecond() / count.eventsPerSecond(), 2)
                    .put("count_cpu_eps" + suffix, count.eventsPerCpuSecond(), decimalsFor(count.eventsPerCpuSecond()))
                    .put("rollstream_cpu_eps" + suffix, rollstream.eventsPerCpuSecond(), decimalsFor(rollstream.eventsPerCpuSecond()))
                    .put("ratio_vs_count_cpu" + suffix, rollstream.eventsPerCpuSecond() / count.eventsPerCpuSecond(), 2);
            if (dsl == null) {
                line.put("ratio_vs_dsl" + suffix, "n/a");
            } else {
                line.put("ratio_vs_dsl" + suffix, rollstream.eventsPerSecond() / dsl.eventsPerSecond(), 1);
            }
            line.put("floor_eps" + suffix, floor.eventsPerSecond(), decimalsFor(floor.eventsPerSecond()))
                    .put("floor_cpu_eps" + suffix, floor.eventsPerCpuSecond(), decimalsFor(floor.eventsPerCpuSecond()))
                    .put("floor_vs_count" + suffix, floor.eventsPerSecond() / count.eventsPerSecond(), 2)
                    .put("ratio_vs_floor" + suffix, rollstream.eventsPerSecond() / floor.eventsPerSecond(), 2);
        }
        line.put("avro_decode_eps", report.avroDecodeEventsPerSecond(), 0);
        final double busiest = report.measurements().stream().mapToDouble(Measurement::othersCpuShare).max().orElse(Double.NaN);
        line.put("others_cpu_max_pct", Double.isNaN(busiest) ? "unknown" : String.format(Locale.ROOT, "%.0f", 100 * busiest));
        line.put("peak_rss_mb", report.peakResidentBytes() < 0 ? "unknown" : Long.toString(Machine.mebibytes(report.peakResidentBytes())));
        return line.toString();
    }

    /** The topologies over the same input, each built afresh per run (a topology runs once). */
    private record Topologies(InMemorySchemaRegistryClient registry, int partitions, RollstreamUnderTest rollstream) {

        /** (b) and (d) move events through topics of their own; (a) and (c) keep them on their input partition. */
        StreamsApp of(final Variant variant) {
            return switch (variant) {
                case COUNT -> new StreamsApp(variant, CountTopology.build(new ClickEventSerde(registry)), List.of(), Map.of());
                case ROLLSTREAM -> new StreamsApp(variant, rollstream.build(registry, partitions),
                        rollstream.relayTopics(), RollstreamTopology.streamsSettings());
                case FLOOR -> new StreamsApp(variant, EntityCountsTopology.build(
                        () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class), rollstream.entities(),
                        rollstream.relayedEventTypes()),
                        EntityCountsTopology.relayTopics(rollstream.relayedEventTypes()), Map.of());
                case DSL -> new StreamsApp(variant, HoppingWindowsDslTopology.build(new ClickEventSerde(registry),
                        rollstream.windowLengths(), rollstream.allowedLateness()), List.of(),
                        StreamsApp.dslOverrides());
            };
        }
    }
}
