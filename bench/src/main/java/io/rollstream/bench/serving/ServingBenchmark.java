package io.rollstream.bench.serving;

import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.query.ServedEntity;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rollstream bench serving}: read latency and throughput of one feature-store instance with
 * {@code users} users loaded, driven from other processes on loopback, beside Redis serving the same
 * bytes in the same run.
 *
 * <ol>
 *   <li>Load: {@code eventsPerUser} events for every user, then wait until the instance has
 *       committed all of them (the pipeline is idle while reads are measured).</li>
 *   <li>Read every user through the batch endpoint: each must be {@code found}; the answers,
 *       reshaped as single-get answers, become Redis's values.</li>
 *   <li>Warm up (JIT), then: single gets at a fixed rate, open loop (the Java load client, a
 *       separate JVM); single gets at max throughput (wrk, closed loop); batches of 100 at a fixed
 *       rate (Java load client); batches at max throughput (wrk).</li>
 *   <li>Baseline: redis-server with every user's vector, {@code redis-benchmark GET} at max
 *       throughput, and the Java load client at the same fixed rate as the single gets.</li>
 * </ol>
 */
public final class ServingBenchmark {

    /**
     * The knobs; the defaults are what {@code docs/benchmarks.md} records.
     *
     * @param answerCacheBytes the instance's answer cache, null for the service's default
     * @param writeRate        events per second sent to the instance during the single-get phases; 0 for none
     */
    public record Options(int users, int eventsPerUser, int partitions, int streamThreads, String guarantee,
                          double singleRate, double batchRate, int batchSize, Duration fixedDuration, Duration maxDuration,
                          Duration warmup, int fixedConnections, int maxConnections, int wrkThreads, long redisRequests,
                          long seed, Long answerCacheBytes, double writeRate) {
    }

    private static final List<String> LOAD_CLIENT_JVM = List.of("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xshare:auto");

    private final Options options;
    private final PrintStream out;
    private final Report report;

    public ServingBenchmark(final Options options, final PrintStream out, final PrintStream progress) {
        this.options = options;
        this.out = out;
        this.report = new Report(progress);
    }

    /** One measured phase: what the tool said, and the CPU the rest of the machine took meanwhile. */
    private record Phase(String name, double qps, double p50Ms, double p99Ms, double p999Ms, double maxMs, long errors,
                         double othersCpuPercent, double oursCpuPercent, double serverCpuUsPerRequest, String detail) {
    }

    /** The instance's own CPU use, in percent of one CPU, below which it counts as settled. */
    private static final double IDLE_CPU_PCT = 10;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(2);
    private static final Duration MAX_SETTLE = Duration.ofSeconds(90);

    /**
     * Waits until the instance has finished what the load left it (RocksDB compactions, the last
     * commits): reads are measured on an instance with its users loaded, not one still loading.
     * Without this the first phase measured whatever background work happened to overlap it.
     */
    private void awaitIdle() throws InterruptedException {
        report.say("Waiting for the instance to settle (below %.0f%% of a CPU for %d s; at most %d s) ...",
                IDLE_CPU_PCT, IDLE_WINDOW.toSeconds(), MAX_SETTLE.toSeconds());
        final long pid = ProcessHandle.current().pid();
        final long started = System.nanoTime();
        double pct = Double.NaN;
        while (System.nanoTime() - started < MAX_SETTLE.toNanos()) {
            final long before = CpuMeter.processJiffies(pid);
            Thread.sleep(IDLE_WINDOW.toMillis());
            pct = 100.0 * (CpuMeter.processJiffies(pid) - before) / CpuMeter.JIFFIES_PER_SECOND / IDLE_WINDOW.toSeconds();
            if (before < 0 || pct < IDLE_CPU_PCT) {
                break;
            }
        }
        report.say("Settled after %.0f s (the instance used %.0f%% of a CPU in the last %d s)",
                (System.nanoTime() - started) / 1e9, pct, IDLE_WINDOW.toSeconds());
    }

    /** CPU the serving process used per request answered, in microseconds: robust to other processes' load. */
    private static double cpuPerRequestUs(final long serverPid, final long jiffiesBefore, final double qps,
                                          final double seconds) {
        final long after = CpuMeter.processJiffies(serverPid);
        if (jiffiesBefore < 0 || after < 0 || qps <= 0) {
            return Double.NaN;
        }
        return (after - jiffiesBefore) / CpuMeter.JIFFIES_PER_SECOND * 1e6 / (qps * seconds);
    }

    public void run() throws IOException, InterruptedException {
        final Path wrk = require("wrk");
        final Path redisServer = require("redis-server");
        final Path redisBenchmark = require("redis-benchmark");
        out.println("machine: " + Machine.describe() + ", load average " + Machine.loadAverage() + " at start");
        final Map<String, Object> settings = new HashMap<>();
        settings.put(FeatureStoreConfig.PROCESSING_GUARANTEE, options.guarantee());
        settings.put(FeatureStoreConfig.STREAM_THREADS, Integer.toString(options.streamThreads()));
        settings.put(FeatureStoreConfig.APPLICATION_ID, "rollstream-bench-serving");
        if (options.answerCacheBytes() != null) {
            settings.put(FeatureStoreConfig.ANSWER_CACHE_BYTES, Long.toString(options.answerCacheBytes()));
        }
        report.put("bench", "serving");
        report.put("guarantee", options.guarantee());
        report.put("users", options.users());
        final Path scratch = Files.createTempDirectory("rollstream-bench-serving-");
        final List<Phase> phases = new ArrayList<>();
        try (ServiceUnderTest service = ServiceUnderTest.start(options.partitions(), settings, report)) {
            final URI api = service.api();
            load(service);
            report.say("Reading every user's features through the batch endpoint ...");
            final FeatureVectors.Snapshot vectors = FeatureVectors.read(api, options.users());
            final double singleBytes = FeatureVectors.meanSingleBytes(api, Math.min(1_000, options.users()));
            report.say("%,d of %,d users found; mean answer %.0f bytes (single get), %.0f bytes (Redis value)",
                    vectors.found(), options.users(), singleBytes, vectors.meanBytes());
            if (vectors.found() != options.users()) {
                throw new IllegalStateException((options.users() - vectors.found()) + " users have no state after the load; "
                        + "the benchmark would read empty answers");
            }

            report.say("Warming up (JIT): %d s of single gets and batches, not measured ...", options.warmup().toSeconds());
            javaLoad("single", 0, 8, options.warmup(), api.getPort(), Duration.ZERO);
            javaLoad("batch", 0, 2, Duration.ofSeconds(Math.max(2, options.warmup().toSeconds() / 2)), api.getPort(), Duration.ZERO);
            awaitIdle();

            final BackgroundWrites writes = options.writeRate() > 0
                    ? BackgroundWrites.start(service, options.users(), options.writeRate(), options.seed()) : null;
            final Phase singleFixed;
            final Phase singleMax;
            final WrkLoad wrkLoad = new WrkLoad(wrk, scratch);
            try {
                if (writes != null) {
                    report.say("Sending %,.0f events/s to the instance (Zipf users, as loaded) while single gets are "
                            + "measured; the single-get figures are then not the targets' measure", options.writeRate());
                    report.put("write_rate", options.writeRate(), 0);
                    Thread.sleep(5_000);
                }
                report.say("Single gets at a fixed %,.0f/s, open loop (Java load client, %d connections), %d s ...",
                        options.singleRate(), options.fixedConnections(), options.fixedDuration().toSeconds());
                final KeptAnswers keptBeforeFixed = KeptAnswers.of(service);
                singleFixed = measureJava("single-fixed", "single", options.singleRate(), options.fixedConnections(),
                        options.fixedDuration(), api.getPort());
                phases.add(singleFixed);
                report.put("answer_cache_hit_pct_single_fixed", KeptAnswers.of(service).hitPercentSince(keptBeforeFixed), 1);

                report.say("Single gets at max throughput, closed loop (wrk -t%d -c%d), %d s ...", options.wrkThreads(),
                        options.maxConnections(), options.maxDuration().toSeconds());
                final KeptAnswers keptBeforeMax = KeptAnswers.of(service);
                singleMax = measureWrk("single-max", () -> wrkLoad.single(api.toString(), options.users(),
                        options.wrkThreads(), options.maxConnections(), options.maxDuration(), report.progress()));
                phases.add(singleMax);
                final KeptAnswers keptAfterMax = KeptAnswers.of(service);
                report.say("  kept answers: %.1f%% of the single gets of all features (%,d kept now)",
                        keptAfterMax.hitPercentSince(keptBeforeMax), keptAfterMax.kept());
                report.put("answer_cache_hit_pct_single_max", keptAfterMax.hitPercentSince(keptBeforeMax), 1);
            } finally {
                if (writes != null) {
                    writes.close();
                }
            }
            if (writes != null) {
                writes.requireAllSent();
                report.say("  %,d background events sent", writes.sent());
            }

            report.say("Batches of %d at a fixed %,.0f/s (%,.0f ids/s), open loop (Java load client), %d s ...",
                    options.batchSize(), options.batchRate(), options.batchRate() * options.batchSize(),
                    options.fixedDuration().toSeconds());
            final Phase batchFixed = measureJava("batch-fixed", "batch", options.batchRate(),
                    Math.max(2, Math.min(options.fixedConnections(), (int) Math.ceil(options.batchRate() / 10))),
                    options.fixedDuration(), api.getPort());
            phases.add(batchFixed);

            final int batchConnections = Math.max(1, options.maxConnections() / 10);
            report.say("Batches of %d at max throughput, closed loop (wrk -t%d -c%d), %d s ...", options.batchSize(),
                    options.wrkThreads(), batchConnections, options.maxDuration().toSeconds());
            final Phase batchMax = measureWrk("batch-max", () -> wrkLoad.batch(api.toString(), options.users(),
                    options.batchSize(), options.wrkThreads(), batchConnections, options.maxDuration(), report.progress()));
            phases.add(batchMax);

            final Phase redisMax;
            final Phase redisFixed;
            report.say("Baseline: redis-server on loopback with every user's vector ...");
            try (RedisBaseline redis = RedisBaseline.start(redisServer, report.progress())) {
                redis.load(options.users(), user -> vectors.values()[user - 1]);
                report.say("Redis (pid %d, port %d) holds %,d values; redis-benchmark GET, %d clients, %,d requests ...",
                        redis.pid(), redis.port(), options.users(), options.maxConnections(), options.redisRequests());
                final CpuMeter.Snapshot before = CpuMeter.now();
                final long redisJiffies = CpuMeter.processJiffies(redis.pid());
                final long redisStart = System.nanoTime();
                final RedisBaseline.Result result = redis.benchmark(redisBenchmark, options.users(), options.redisRequests(),
                        options.maxConnections(), report.progress());
                final double redisSeconds = (System.nanoTime() - redisStart) / 1e9;
                final CpuMeter.Snapshot after = CpuMeter.now();
                redisMax = new Phase("redis-max", result.qps(), result.p50Ms(), result.p99Ms(), result.p999Ms(), result.maxMs(),
                        0, CpuMeter.othersPercent(before, after), CpuMeter.oursPercent(before, after),
                        cpuPerRequestUs(redis.pid(), redisJiffies, result.requests() / redisSeconds, redisSeconds),
                        "redis-benchmark -c " + options.maxConnections() + " -P 1");
                phases.add(redisMax);
                report.say("Redis GETs at a fixed %,.0f/s through the same Java load client, %d s ...", options.singleRate(),
                        options.fixedDuration().toSeconds() / 2);
                redisFixed = measureJava("redis-fixed", "redis", options.singleRate(), options.fixedConnections(),
                        options.fixedDuration().dividedBy(2), redis.port(), redis.pid());
                phases.add(redisFixed);
            }
            report.say("Redis stopped; stopping the feature store ...");
            print(phases, singleBytes, vectors.meanBytes());
            summarize(singleFixed, singleMax, batchFixed, batchMax, redisMax, redisFixed, singleBytes, phases);
        } finally {
            ServiceUnderTest.deleteRecursively(scratch);
        }
        out.println(report.summaryLine());
    }

    private void load(final ServiceUnderTest service) throws InterruptedException {
        final long total = (long) options.users() * options.eventsPerUser();
        report.say("Loading %,d users: %,d events (%d per user, event times over the last 50 minutes) ...",
                options.users(), total, options.eventsPerUser());
        final long publishStart = System.nanoTime();
        final long published = UserLoad.publish(service.bootstrapServers(), service.registryUrl(), options.users(),
                options.eventsPerUser(), Duration.ofMinutes(50), options.seed(), line -> report.say("  %s", line));
        report.say("Published %,d events in %.1f s; waiting for the feature store to process them ...", published,
                (System.nanoTime() - publishStart) / 1e9);
        try (Backlog backlog = new Backlog(service.bootstrapServers(), service.applicationId(), service.catalog())) {
            long lastReport = 0;
            int settled = 0;
            while (true) {
                final Backlog.State state = backlog.now();
                if (state.remaining() == 0 && state.eventsCommitted() >= published) {
                    if (++settled >= 2) {
                        break;
                    }
                } else {
                    settled = 0;
                }
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    report.say("  processed %,d of %,d events (%,.0f events/s since the first was published); %,d records left",
                            state.eventsCommitted(), state.eventsEnd(),
                            state.eventsCommitted() / ((System.nanoTime() - publishStart) / 1e9), state.remaining());
                }
                Thread.sleep(500);
            }
        }
        final double seconds = (System.nanoTime() - publishStart) / 1e9;
        report.say("All %,d events processed, %.1f s after the first was published (%,.0f events/s end to end)",
                published, seconds, published / seconds);
        report.put("load_events", published);
        report.put("load_eps", published / seconds, 0);
    }

    private Phase measureJava(final String name, final String kind, final double rate, final int connections,
                              final Duration duration, final int port) throws IOException, InterruptedException {
        return measureJava(name, kind, rate, connections, duration, port, ProcessHandle.current().pid());
    }

    /**
     * @param serverPid the process answering, whose CPU per request is reported: over the client's whole run (its
     *                  2 s warm-up included) divided by every request it completed
     */
    private Phase measureJava(final String name, final String kind, final double rate, final int connections,
                              final Duration duration, final int port, final long serverPid)
            throws IOException, InterruptedException {
        final CpuMeter.Snapshot before = CpuMeter.now();
        final long serverJiffies = CpuMeter.processJiffies(serverPid);
        final Map<String, String> result = javaLoad(kind, rate, connections, duration, port, Duration.ofSeconds(2));
        final long serverJiffiesAfter = CpuMeter.processJiffies(serverPid);
        final CpuMeter.Snapshot after = CpuMeter.now();
        final Phase phase = new Phase(name, number(result, "qps"), number(result, "p50_ms"), number(result, "p99_ms"),
                number(result, "p999_ms"), number(result, "max_ms"),
                Long.parseLong(result.get("errors")) + Long.parseLong(result.get("not_ok")),
                CpuMeter.othersPercent(before, after), CpuMeter.oursPercent(before, after),
                serverJiffies < 0 || serverJiffiesAfter < 0 ? Double.NaN : (serverJiffiesAfter - serverJiffies)
                        / CpuMeter.JIFFIES_PER_SECOND * 1e6 / number(result, "completed"),
                "Java load client, open loop at " + String.format(Locale.ROOT, "%.0f", rate) + "/s, " + connections
                        + " connections, " + result.get("late") + " requests timed from their due time");
        report.say("  %s: %,.0f/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms, %d errors; other processes took %.0f%% of the CPU",
                name, phase.qps(), phase.p50Ms(), phase.p99Ms(), phase.p999Ms(), phase.maxMs(), phase.errors(),
                phase.othersCpuPercent());
        return phase;
    }

    private Map<String, String> javaLoad(final String kind, final double rate, final int connections, final Duration duration,
                                         final int port, final Duration warmup) throws IOException, InterruptedException {
        final List<String> args = List.of("--kind", kind, "--port", Integer.toString(port), "--rate",
                String.format(Locale.ROOT, "%.1f", rate), "--connections", Integer.toString(connections), "--duration-s",
                Long.toString(duration.toSeconds()), "--warmup-s", Long.toString(warmup.toSeconds()), "--users",
                Integer.toString(options.users()), "--batch-size", Integer.toString(options.batchSize()), "--seed",
                Long.toString(options.seed()));
        final List<String> lines = Tool.run(Tool.java(LOAD_CLIENT_JVM, LoadClient.class, args),
                duration.plus(warmup).plusSeconds(120), report.progress(), false);
        final String line = lines.stream().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b)
                .orElseThrow(() -> new IOException("the load client printed no result:\n" + String.join("\n", lines)));
        final Map<String, String> values = new HashMap<>();
        for (final String pair : line.substring("RESULT ".length()).trim().split(" ")) {
            final int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        if (values.containsKey("first_error")) {
            report.say("  load client error: %s", values.get("first_error"));
        }
        return values;
    }

    private interface WrkRun {
        WrkLoad.Result run() throws IOException, InterruptedException;
    }

    private Phase measureWrk(final String name, final WrkRun run) throws IOException, InterruptedException {
        final CpuMeter.Snapshot before = CpuMeter.now();
        final long serverJiffies = CpuMeter.processJiffies(ProcessHandle.current().pid());
        final WrkLoad.Result result = run.run();
        final CpuMeter.Snapshot after = CpuMeter.now();
        final Phase phase = new Phase(name, result.qps(), result.p50Ms(), result.p99Ms(), result.p999Ms(), result.maxMs(),
                result.errors() + result.notOk(), CpuMeter.othersPercent(before, after), CpuMeter.oursPercent(before, after),
                cpuPerRequestUs(ProcessHandle.current().pid(), serverJiffies, result.qps(), result.seconds()),
                "wrk, closed loop");
        report.say("  %s: %,.0f/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms, %d errors; other processes took %.0f%% of the CPU",
                name, phase.qps(), phase.p50Ms(), phase.p99Ms(), phase.p999Ms(), phase.maxMs(), phase.errors(),
                phase.othersCpuPercent());
        return phase;
    }

    private void print(final List<Phase> phases, final double singleBytes, final double redisBytes) {
        out.printf(Locale.ROOT, "feature store: 1 instance, %s, %d stream threads, %d partitions, default features file; "
                        + "%,d users with %d events each; answers %.0f bytes (Redis values %.0f bytes)%n",
                options.guarantee(), options.streamThreads(), options.partitions(), options.users(), options.eventsPerUser(),
                singleBytes, redisBytes);
        out.printf("%-13s %10s %9s %9s %9s %9s %7s %8s %11s  %s%n", "phase", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
                "errors", "others%", "server CPU", "how");
        for (final Phase phase : phases) {
            out.printf(Locale.ROOT, "%-13s %10.0f %9.3f %9.3f %9.3f %9.3f %7d %7.0f%% %8.0f us  %s%n", phase.name(), phase.qps(),
                    phase.p50Ms(), phase.p99Ms(), phase.p999Ms(), phase.maxMs(), phase.errors(), phase.othersCpuPercent(),
                    phase.serverCpuUsPerRequest(), phase.detail());
        }
        out.println("(server CPU: CPU time of the answering process per request; for the feature store that process also "
                + "holds the idle broker and stream threads)");
    }

    private void summarize(final Phase singleFixed, final Phase singleMax, final Phase batchFixed, final Phase batchMax,
                           final Phase redisMax, final Phase redisFixed, final double singleBytes, final List<Phase> phases) {
        final double ratio = singleMax.qps() / redisMax.qps();
        out.printf(Locale.ROOT, "single get at %,.0f/s: p99 %.3f ms (target <= 2 ms: %s); batch of %d at %,.0f/s: p99 %.3f ms "
                        + "(target <= 10 ms: %s); max single-get throughput %,.0f/s = %.2f x Redis's %,.0f/s (target >= 0.5: %s)%n",
                options.singleRate(), singleFixed.p99Ms(), met(singleFixed.p99Ms() <= 2), options.batchSize(),
                options.batchRate(), batchFixed.p99Ms(), met(batchFixed.p99Ms() <= 10), singleMax.qps(), ratio,
                redisMax.qps(), met(ratio >= 0.5));
        report.put("answer_bytes", singleBytes, 0);
        report.put("single_rate", options.singleRate(), 0);
        report.put("qps_single_fixed", singleFixed.qps(), 0);
        report.put("p50_single_ms", singleFixed.p50Ms(), 3);
        report.put("p99_single_ms", singleFixed.p99Ms(), 3);
        report.put("p999_single_ms", singleFixed.p999Ms(), 3);
        report.put("qps_single", singleMax.qps(), 0);
        report.put("p50_single_max_ms", singleMax.p50Ms(), 3);
        report.put("p99_single_max_ms", singleMax.p99Ms(), 3);
        report.put("p999_single_max_ms", singleMax.p999Ms(), 3);
        report.put("batch_rate", options.batchRate(), 0);
        report.put("p50_batch100_ms", batchFixed.p50Ms(), 3);
        report.put("p99_batch100_ms", batchFixed.p99Ms(), 3);
        report.put("p999_batch100_ms", batchFixed.p999Ms(), 3);
        report.put("qps_batch100", batchMax.qps(), 0);
        report.put("ids_per_s_batch100", batchMax.qps() * options.batchSize(), 0);
        report.put("p99_batch100_max_ms", batchMax.p99Ms(), 3);
        report.put("qps_redis", redisMax.qps(), 0);
        report.put("p50_redis_ms", redisMax.p50Ms(), 3);
        report.put("p99_redis_ms", redisMax.p99Ms(), 3);
        report.put("p99_redis_fixed_ms", redisFixed.p99Ms(), 3);
        report.put("qps_ratio_vs_redis", ratio, 2);
        report.put("cpu_us_single", singleMax.serverCpuUsPerRequest(), 0);
        report.put("cpu_us_batch100", batchMax.serverCpuUsPerRequest(), 0);
        report.put("cpu_us_redis", redisMax.serverCpuUsPerRequest(), 1);
        report.put("errors", phases.stream().mapToLong(Phase::errors).sum());
        report.put("others_cpu_pct_max", phases.stream().mapToDouble(Phase::othersCpuPercent).max().orElse(Double.NaN), 0);
        report.put("targets_met", Boolean.toString(singleFixed.p99Ms() <= 2 && batchFixed.p99Ms() <= 10 && ratio >= 0.5));
    }

    /** The instance's answer caches, counted: how many reads they answered and missed, how many answers they keep. */
    private record KeptAnswers(long hits, long misses, long kept) {

        static KeptAnswers of(final ServiceUnderTest service) {
            long hits = 0;
            long misses = 0;
            long kept = 0;
            for (final ServedEntity entity : service.service().entities().values()) {
                if (entity.answers() != null) {
                    hits += entity.answers().hits();
                    misses += entity.answers().misses();
                    kept += entity.answers().size();
                }
            }
            return new KeptAnswers(hits, misses, kept);
        }

        /** Percent of the lookups since {@code before} a kept answer served; 0 when there were none (cache off). */
        double hitPercentSince(final KeptAnswers before) {
            final long lookups = hits - before.hits + misses - before.misses;
            return lookups == 0 ? 0 : 100.0 * (hits - before.hits) / lookups;
        }
    }

    private static String met(final boolean met) {
        return met ? "met" : "MISSED";
    }

    private static double number(final Map<String, String> values, final String key) {
        return Double.parseDouble(values.getOrDefault(key, "NaN"));
    }

    private static Path require(final String program) {
        return Tool.onPath(program).orElseThrow(() -> new IllegalStateException(program + " is not installed; on Debian or "
                + "Ubuntu: apt-get install -y redis-server redis-tools wrk"));
    }
}
