package io.rollstream.bench.serving;

import io.rollstream.devstack.DevStack;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.FeatureStoreService;
import io.rollstream.schemas.contract.Topics;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What both benchmarks measure: one feature-store instance with the default features file, on an
 * in-process KRaft broker and an Apicurio Registry child process, everything on 127.0.0.1 with its
 * files in a temporary directory. Closing it stops the instance, the registry and the broker and
 * deletes the directory; a shutdown hook does the same if the JVM is stopped first (Ctrl-C).
 */
final class ServiceUnderTest implements AutoCloseable {

    private final Path workDir;
    private final DevStack stack;
    private final FeatureCatalog catalog;
    private final FeatureStoreService service;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private ServiceUnderTest(final Path workDir, final DevStack stack, final FeatureCatalog catalog,
                             final FeatureStoreService service) {
        this.workDir = workDir;
        this.stack = stack;
        this.catalog = catalog;
        this.service = service;
        this.shutdownHook = new Thread(this::stop, "stop-bench-service");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * @param settings extra feature-store settings ({@link FeatureStoreConfig} keys), e.g. the processing guarantee
     */
    static ServiceUnderTest start(final int partitions, final Map<String, Object> settings, final Report report)
            throws IOException, InterruptedException {
        final Path workDir = Files.createTempDirectory("rollstream-bench-");
        final FeatureCatalog catalog = FeaturesFile.loadDefault();
        report.say("Starting Kafka (in-process KRaft) and Apicurio Registry (child process) ...");
        final DevStack stack;
        try {
            stack = DevStack.start(workDir.resolve("stack"));
        } catch (final RuntimeException e) {
            deleteRecursively(workDir);
            throw e;
        }
        FeatureStoreService service = null;
        try {
            stack.kafka().createTopics(partitions, Topics.EVENTS);
            final Map<String, Object> config = new HashMap<>(settings);
            config.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            config.put(FeatureStoreConfig.REGISTRY_URL, stack.registryUrl());
            config.putIfAbsent(FeatureStoreConfig.APPLICATION_ID, "rollstream-bench");
            config.put(FeatureStoreConfig.STATE_DIR, workDir.resolve("state").toString());
            config.put(FeatureStoreConfig.HTTP_HOST, "127.0.0.1");
            config.put(FeatureStoreConfig.HTTP_PORT, "0");
            config.put(FeatureStoreConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
            report.say("Starting the feature store (%d features of %s) ...", catalog.featureCount(), catalog.byEntity().keySet());
            service = FeatureStoreService.start(new FeatureStoreConfig(config), catalog);
            final ServiceUnderTest started = new ServiceUnderTest(workDir, stack, catalog, service);
            started.awaitReady(Duration.ofMinutes(2));
            report.say("Feature store serving %s (application %s); Kafka %s; registry %s", service.uri(),
                    service.applicationId(), stack.bootstrapServers(), stack.registryUrl());
            return started;
        } catch (final IOException | InterruptedException | RuntimeException e) {
            if (service != null) {
                service.close();
            }
            stack.close();
            deleteRecursively(workDir);
            throw e;
        }
    }

    private void awaitReady(final Duration timeout) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final URI api = api();
        while (true) {
            try (HttpConnection http = new HttpConnection(api.getHost(), api.getPort())) {
                if (http.exchange(HttpConnection.get(api.getHost(), api.getPort(), "/ready")) == 200) {
                    return;
                }
            } catch (final IOException e) {
                // not answering yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the feature store was not ready within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    URI api() {
        return service.uri();
    }

    String bootstrapServers() {
        return stack.bootstrapServers();
    }

    String registryUrl() {
        return stack.registryUrl();
    }

    String applicationId() {
        return service.applicationId();
    }

    FeatureCatalog catalog() {
        return catalog;
    }

    FeatureStoreService service() {
        return service;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (final IllegalStateException e) {
            // shutting down: the hook has run or runs
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            service.close();
        } finally {
            try {
                stack.close();
            } finally {
                deleteRecursively(workDir);
            }
        }
    }

    static void deleteRecursively(final Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
