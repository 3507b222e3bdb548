package io.rollstream.devstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The development stack: an in-process Kafka broker and an Apicurio Registry child process, both
 * on 127.0.0.1. Used by {@code rollstream dev} and by the integration tests.
 */
public final class DevStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevStack.class);

    private final EmbeddedKafka kafka;
    private final ApicurioRegistry registry;

    private DevStack(final EmbeddedKafka kafka, final ApicurioRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts both with temporary directories, deleted on close. */
    public static DevStack start() {
        return start(EmbeddedKafka::start, ApicurioRegistry::start);
    }

    /**
     * Starts both with their files under {@code workDir}: Kafka's data in {@code kafka/} (kept
     * across restarts), the registry's log in {@code registry/}. The registry itself keeps its
     * schemas in memory, so they are gone after a restart.
     */
    public static DevStack start(final Path workDir) {
        return start(() -> EmbeddedKafka.start(workDir.resolve("kafka")),
                () -> ApicurioRegistry.start(workDir.resolve("registry")));
    }

    // The registry spends its few seconds of startup in a separate JVM; the broker starts meanwhile.
    private static DevStack start(final Supplier<EmbeddedKafka> startKafka, final Supplier<ApicurioRegistry> startRegistry) {
        final long startNanos = System.nanoTime();
        final CompletableFuture<ApicurioRegistry> registryStart = CompletableFuture.supplyAsync(startRegistry,
                task -> Thread.ofPlatform().name("devstack-registry-start").daemon().start(task));
        final EmbeddedKafka kafka;
        try {
            kafka = startKafka.get();
        } catch (RuntimeException e) {
            closeOnceStarted(registryStart, e);
            throw e;
        }
        final ApicurioRegistry registry;
        try {
            registry = registryStart.get();
        } catch (ExecutionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            registryStart.thenAccept(ApicurioRegistry::close);
            kafka.close();
            throw new IllegalStateException("Interrupted while starting the dev stack; stopped what had started", e);
        }
        log.info("Dev stack up in {} ms: Kafka {} (in-process KRaft broker), schema registry {} (Apicurio Registry"
                        + " child process, pid {})", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                kafka.bootstrapServers(), registry.confluentApiUrl(), registry.pid());
        return new DevStack(kafka, registry);
    }

    private static void closeOnceStarted(final CompletableFuture<ApicurioRegistry> registryStart, final RuntimeException failure) {
        try {
            registryStart.join().close();
        } catch (CompletionException e) {
            failure.addSuppressed(e.getCause());
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public ApicurioRegistry registry() {
        return registry;
    }

    /** {@code 127.0.0.1:PORT} of the broker. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The registry's Confluent-compatible API, {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String registryUrl() {
        return registry.confluentApiUrl();
    }

    /** Stops the registry and the broker; each is stopped even if stopping the other fails. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
