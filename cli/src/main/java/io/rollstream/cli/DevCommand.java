package io.rollstream.cli;

import io.rollstream.collector.CollectorServer;
import io.rollstream.collector.CollectorSettings;
import io.rollstream.devstack.DevStack;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.FeatureStoreService;
import io.rollstream.generator.ClickstreamModel;
import io.rollstream.generator.GeneratorRun;
import io.rollstream.schemas.contract.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Everything on this machine, for trying Rollstream and developing it: a real in-process Kafka
 * broker, a real Apicurio registry (child process), the pipeline, the HTTP API and a synthetic
 * clickstream. Ctrl-C stops it all.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run Rollstream on this machine alone: in-process Kafka broker, Apicurio Registry,",
                "the ingest and feature topologies, the feature HTTP API and a synthetic clickstream.",
                "Prints the API, Kafka and registry addresses once serving. Ctrl-C stops everything."})
final class DevCommand implements Callable<Integer> {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    @Option(names = "--http-port", defaultValue = "8080",
            description = "Port of the feature HTTP API (default: ${DEFAULT-VALUE}; a free one is used if it is taken).")
    int httpPort;

    @Option(names = "--rate", defaultValue = "200",
            description = "Synthetic events per second; 0 disables the generator (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--users", defaultValue = "10000",
            description = "Distinct users in the synthetic clickstream (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic clickstream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the events topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--collector-port", defaultValue = "0",
            description = "Port of the HTTP event collector (POST /v1/events); 0 for any free one (default: ${DEFAULT-VALUE}).")
    int collectorPort;

    @Option(names = "--features", description = "A features file (YAML, see docs/features.md); default: the built-in personalization set.")
    java.nio.file.Path featuresFile;

    @Override
    public Integer call() throws Exception {
        final PrintStream out = System.out;
        final Path workDir = Files.createTempDirectory("rollstream-dev-");
        final CountDownLatch stopped = new CountDownLatch(1);
        final Resources resources = new Resources(workDir);
        final Thread shutdownHook = new Thread(() -> {
            resources.close();
            stopped.countDown();
        }, "rollstream-dev-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        final Map<String, Object> settings = new HashMap<>();
        if (featuresFile != null) {
            settings.put(FeatureStoreConfig.FEATURES_FILE, featuresFile.toString());
        }
        // Read the features before starting anything: a bad file should fail in a second, not after the stack is up.
        final io.rollstream.engine.catalog.FeatureCatalog catalog = new FeatureStoreConfig(withPlaceholders(settings)).featureCatalog();
        out.println("Starting Kafka (in-process KRaft) and Apicurio Registry (child process) ...");
        resources.stack = DevStack.start(workDir.resolve("stack"));

        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, resources.stack.bootstrapServers());
        settings.put(FeatureStoreConfig.REGISTRY_URL, resources.stack.registryUrl());
        settings.put(FeatureStoreConfig.APPLICATION_ID, "rollstream-dev");
        settings.put(FeatureStoreConfig.STATE_DIR, workDir.resolve("state").toString());
        settings.put(FeatureStoreConfig.HTTP_PORT, Integer.toString(portOrFree(httpPort, out)));
        settings.put(FeatureStoreConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
        // One instance: a standby could never be placed, and Kafka Streams would warn about it on every rebalance.
        settings.put(FeatureStoreConfig.STANDBY_REPLICAS, "0");
        out.println("Starting the pipeline and the feature API ...");
        resources.service = FeatureStoreService.start(new FeatureStoreConfig(settings), catalog);

        resources.collector = CollectorServer.start(CollectorSettings.builder().bootstrapServers(resources.stack.bootstrapServers())
                .registryUrl(resources.stack.registryUrl()).httpPort(collectorPort).build());

        final String hottestUser = ClickstreamModel.userId(1);
        if (rate > 0) {
            resources.generator = GeneratorRun.start(new GeneratorRun.Settings(resources.stack.bootstrapServers(),
                    Topics.EVENTS, seed, users, Math.max(100, users / 10), rate, 0), Serializers.clickEvents(resources.stack.registryUrl()));
        }
        final URI api = resources.service.uri();
        awaitServing(api, rate > 0 ? hottestUser : null);

        out.println();
        out.println("API: " + api);
        out.println("Kafka: " + resources.stack.bootstrapServers());
        out.println("Registry: " + resources.stack.registryUrl());
        out.println("Collector: " + resources.collector.uri() + "/v1/events");
        out.println();
        out.println("Try:  curl -s " + api + "/v1/features/user/" + hottestUser);
        out.println("      (" + (rate > 0 ? "synthetic events at " + rate + "/s to " + Topics.EVENTS
                + "; publish your own with any Kafka client" : "generator off") + ". Ctrl-C stops everything.)");
        stopped.await();
        return 0;
    }

    private static Map<String, Object> withPlaceholders(final Map<String, Object> settings) {
        final Map<String, Object> copy = new HashMap<>(settings);
        copy.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, "not-started-yet:0");
        copy.put(FeatureStoreConfig.REGISTRY_URL, "http://not-started-yet");
        return copy;
    }

    /** Waits until the API is ready and, with the generator on, serves a user with events. */
    private static void awaitServing(final URI api, final String userWithEvents) throws IOException, InterruptedException {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        final URI probe = userWithEvents == null ? api.resolve("/ready") : api.resolve("/v1/features/user/" + userWithEvents);
        while (System.nanoTime() < deadline) {
            try {
                final HttpResponse<String> response = http.send(HttpRequest.newBuilder(probe).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && (userWithEvents == null || response.body().contains("\"found\":true"))) {
                    return;
                }
            } catch (final IOException e) {
                // Not listening yet: keep polling until the deadline.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the pipeline did not serve " + probe + " within " + READY_TIMEOUT.toSeconds()
                + " s; see the log lines above for the cause");
    }

    private static int portOrFree(final int wanted, final PrintStream out) {
        try (ServerSocket socket = new ServerSocket(wanted, 1, java.net.InetAddress.getLoopbackAddress())) {
            return wanted;
        } catch (final IOException taken) {
            out.println("Port " + wanted + " is taken; serving the API on a free port instead (choose one with --http-port).");
            return 0;
        }
    }

    /** What dev started, stopped in reverse order: generator, service, then broker and registry. */
    private static final class Resources implements AutoCloseable {
        private final Path workDir;
        volatile DevStack stack;
        volatile FeatureStoreService service;
        volatile GeneratorRun generator;
        volatile CollectorServer collector;

        Resources(final Path workDir) {
            this.workDir = workDir;
        }

        @Override
        public void close() {
            System.out.println("Stopping ...");
            closeQuietly(generator);
            closeQuietly(collector);
            closeQuietly(service);
            closeQuietly(stack);
            deleteRecursively(workDir);
        }

        private static void deleteRecursively(final Path dir) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (final IOException e) {
                System.err.println("rollstream dev: could not delete " + dir + ": " + e.getMessage());
            }
        }

        private static void closeQuietly(final AutoCloseable closeable) {
            if (closeable == null) {
                return;
            }
            try {
                closeable.close();
            } catch (final Exception e) {
                System.err.println("rollstream dev: error while stopping " + closeable.getClass().getSimpleName() + ": " + e);
            }
        }
    }
}
