package io.rollstream.devstack;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Kafka broker running inside this JVM: one KRaft node that is both broker and controller,
 * listening on 127.0.0.1 only, on free ports.
 *
 * <p>It is assembled from the same parts as {@code kafka.server.KafkaRaftServer} (what
 * {@code kafka-server-start.sh} runs) with two differences: the controller socket is pre-bound on
 * the loopback address, and a fatal fault is logged instead of halting the JVM, which here is the
 * CLI or a test run rather than a dedicated broker process.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final long METADATA_POLL_MILLIS = 20;

    private final Node node;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(final Node node, final Path dataDir, final boolean deleteDataDirOnClose) {
        this.node = node;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.bootstrapServers = "127.0.0.1:" + node.clientPort();
    }

    /** Starts a broker whose data lives in a temporary directory that {@link #close()} deletes. */
    public static EmbeddedKafka start() {
        final Path dataDir = Directories.createTemp("rollstream-kafka-");
        try {
            return start(dataDir, true);
        } catch (RuntimeException e) {
            deleteQuietly(dataDir);
            throw e;
        }
    }

    /**
     * Starts a broker that keeps its data in {@code dataDir} (created if missing, kept on close), so
     * topics and offsets survive a restart. The directory belongs to the broker: it must be empty
     * or hold data of an earlier run.
     */
    public static EmbeddedKafka start(final Path dataDir) {
        return start(dataDir.toAbsolutePath(), false);
    }

    private static EmbeddedKafka start(final Path dataDir, final boolean deleteDataDirOnClose) {
        final long startNanos = System.nanoTime();
        Directories.createDirectories(dataDir);
        KafkaStorage.formatIfNeeded(dataDir, SingleNodeKafkaConfig.NODE_ID, SingleNodeKafkaConfig.CONTROLLER_LISTENER);
        try (LoopbackControllerSocket controllerSocket = LoopbackControllerSocket.bind(SingleNodeKafkaConfig.CONTROLLER_LISTENER)) {
            final EmbeddedKafka kafka = new EmbeddedKafka(startNode(dataDir, controllerSocket), dataDir, deleteDataDirOnClose);
            log.info("Kafka broker (in-process KRaft, 1 node) listening on {}, data in {}, started in {} ms",
                    kafka.bootstrapServers, dataDir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close the unused embedded Kafka controller socket: " + e.getMessage(), e);
        }
    }

    private static Node startNode(final Path dataDir, final LoopbackControllerSocket controllerSocket) {
        try {
            final KafkaConfig config = SingleNodeKafkaConfig.create(dataDir, controllerSocket.port());
            final Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> storage =
                    KafkaRaftServer.initializeLogDirs(config, log, "[EmbeddedKafka] ");
            final MetaPropertiesEnsemble metaProperties = storage._1();
            final Metrics metrics = Server.initializeMetrics(config, Time.SYSTEM, metaProperties.clusterId().orElseThrow());
            final SharedServer shared = new SharedServer(
                    config,
                    metaProperties,
                    Time.SYSTEM,
                    metrics,
                    CompletableFuture.completedFuture(QuorumConfig.parseVoterConnections(config.quorumConfig().voters())),
                    QuorumConfig.parseBootstrapServers(config.quorumConfig().bootstrapServers()),
                    (name, fatal, action) -> new LoggingFaultHandler(name, action),
                    controllerSocket);
            final Node node = new Node(new ControllerServer(shared, KafkaRaftServer.configSchema(), storage._2()),
                    new BrokerServer(shared));
            node.startup();
            return node;
        } catch (RuntimeException e) {
            throw new IllegalStateException("Embedded Kafka broker failed to start with data in " + dataDir + ": "
                    + e.getMessage() + ". A data directory cannot be shared by two running brokers; the loggers"
                    + " 'kafka' and 'org.apache.kafka' have details.", e);
        }
    }

    /** Where clients connect: {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory that holds the broker's logs and metadata. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates the topics with {@code partitions} partitions and replication factor 1, and returns
     * once the broker serves them. A topic that already exists is left as it is, whatever its
     * partition count.
     */
    public void createTopics(final int partitions, final String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("A topic needs at least one partition, got " + partitions);
        }
        final List<String> topics = Arrays.stream(names).distinct().toList();
        final long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "rollstream-devstack-admin"))) {
            final Map<String, KafkaFuture<Void>> creations = admin.createTopics(topics.stream()
                    .map(name -> new NewTopic(name, partitions, (short) 1))
                    .toList()).values();
            for (Map.Entry<String, KafkaFuture<Void>> creation : creations.entrySet()) {
                awaitCreated(creation.getKey(), creation.getValue(), deadline);
            }
            awaitServed(admin, topics, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + topics, e);
        }
    }

    private void awaitCreated(final String topic, final KafkaFuture<Void> creation, final long deadline) throws InterruptedException {
        try {
            creation.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic '" + topic + "' on the embedded broker at "
                        + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw slow("Creating topic '" + topic + "'", e);
        }
    }

    // The controller acknowledges a new topic before the broker has applied it to its metadata
    // image; until then the broker answers "unknown topic", which would surprise the caller.
    private void awaitServed(final Admin admin, final List<String> topics, final long deadline) throws InterruptedException {
        while (true) {
            try {
                admin.describeTopics(topics).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Cannot describe topics " + topics + " on the embedded broker at "
                            + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw slow("Waiting for topics " + topics + " to be served", e);
            }
            if (remaining(deadline) <= 0) {
                throw slow("Waiting for topics " + topics + " to be served", null);
            }
            Thread.sleep(METADATA_POLL_MILLIS);
        }
    }

    private IllegalStateException slow(final String what, final Exception cause) {
        return new IllegalStateException(what + " on the embedded broker at " + bootstrapServers + " took longer than "
                + ADMIN_TIMEOUT.toSeconds() + " s; the broker may be overloaded or stopping.", cause);
    }

    private static long remaining(final long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Stops the broker and the controller and waits for their threads; deletes a temporary data directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        node.shutdown();
        if (deleteDataDirOnClose) {
            deleteQuietly(dataDir);
        }
        log.info("Kafka broker at {} stopped", bootstrapServers);
    }

    /** The two halves of the combined node; they share one {@link SharedServer} (Raft log, metadata). */
    private record Node(ControllerServer controller, BrokerServer broker) {

        // Same order as KafkaRaftServer: the broker needs the controller's endpoints.
        void startup() {
            try {
                controller.startup();
                broker.startup();
            } catch (RuntimeException e) {
                shutdown();
                throw e;
            }
        }

        int clientPort() {
            return broker.boundPort(ListenerName.normalised(SingleNodeKafkaConfig.CLIENT_LISTENER));
        }

        // Broker first, as KafkaRaftServer does: its controlled shutdown still needs the controller.
        void shutdown() {
            broker.shutdown();
            controller.shutdown();
            broker.awaitShutdown();
            controller.awaitShutdown();
        }
    }

    private static void deleteQuietly(final Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("Could not delete the embedded Kafka data directory {}: {}. Delete it by hand.", dir, e.toString());
        }
    }
}
