package io.rollstream.featurestore;

import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.featurestore.http.FeatureHttpServer;
import io.rollstream.featurestore.query.LocalFeatureReader;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.topologies.RollstreamTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One feature-store instance: provisions topics, runs the Rollstream topology with exactly-once
 * processing and persistent state, and serves its stores over HTTP. Instances with the same
 * application id split the partitions between them.
 */
public final class FeatureStoreService implements AutoCloseable, FeatureHttpServer.Backend {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureStoreService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(8);

    private final FeatureStoreConfig config;
    private final KafkaStreams streams;
    private final StreamsReadiness readiness = new StreamsReadiness();
    private final FeatureHttpServer http;
    private final Map<String, LocalFeatureReader> readers;
    private volatile boolean closed;

    private FeatureStoreService(final FeatureStoreConfig config, final FeatureSet userFeatures) throws IOException {
        this.config = config;
        final int partitions;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            partitions = new TopicProvisioner(admin, config.getInt(FeatureStoreConfig.TOPIC_PARTITIONS),
                    config.getShort(FeatureStoreConfig.TOPIC_REPLICATION)).ensureTopics();
        }

        final SchemaRegistryClient registry = RestSchemaRegistryClient.builder(config.getString(FeatureStoreConfig.REGISTRY_URL)).build();
        final Topology topology = RollstreamTopology.build(new RollstreamTopology.Settings(userFeatures,
                config.maxFutureSkew(), partitions, () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class)));

        this.http = FeatureHttpServer.bind(config.getString(FeatureStoreConfig.HTTP_HOST),
                config.getInt(FeatureStoreConfig.HTTP_PORT));
        final HostInfo self = new HostInfo(advertisedHost(), http.port());
        this.streams = new KafkaStreams(topology, streamsProperties(config, self));
        streams.setStateListener(readiness);
        streams.setGlobalStateRestoreListener(readiness);
        streams.setUncaughtExceptionHandler(error -> {
            // A poison record never gets here (ingest dead-letters it); what does is transient,
            // such as the registry being down, so the thread restarts from its last commit.
            LOG.error("Stream thread failed; replacing it and resuming from the last commit", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        final FeatureEngine engine = new FeatureEngine(userFeatures);
        this.readers = Map.of(userFeatures.entity(),
                new LocalFeatureReader(streams, RollstreamTopology.storeName(userFeatures), engine, self));
    }

    /** Starts an instance and returns once it is serving HTTP (reads answer 503 until it is ready). */
    public static FeatureStoreService start(final FeatureStoreConfig config, final FeatureSet userFeatures)
            throws IOException {
        final FeatureStoreService service = new FeatureStoreService(config, userFeatures);
        service.streams.start();
        service.http.start(service, Clock.systemUTC());
        LOG.info("Feature store serving {} (application {}, {} with {} stream threads)", service.uri(),
                config.getString(FeatureStoreConfig.APPLICATION_ID),
                config.getString(FeatureStoreConfig.PROCESSING_GUARANTEE), config.getInt(FeatureStoreConfig.STREAM_THREADS));
        return service;
    }

    private String advertisedHost() {
        final String advertised = config.getString(FeatureStoreConfig.HTTP_ADVERTISED_HOST);
        if (!advertised.isBlank()) {
            return advertised;
        }
        final String bind = config.getString(FeatureStoreConfig.HTTP_HOST);
        return "0.0.0.0".equals(bind) ? "127.0.0.1" : bind;
    }

    static Properties streamsProperties(final FeatureStoreConfig config, final HostInfo self) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(FeatureStoreConfig.APPLICATION_ID));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.getString(FeatureStoreConfig.PROCESSING_GUARANTEE));
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(FeatureStoreConfig.STATE_DIR));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(FeatureStoreConfig.STREAM_THREADS));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(FeatureStoreConfig.COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        // Opt in now to what becomes the default in Kafka 5.0 (and silences its warning).
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.putAll(config.kafkaOverrides());
        return props;
    }

    public URI uri() {
        return http.uri();
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public Map<String, LocalFeatureReader> readers() {
        return readers;
    }

    @Override
    public boolean isLive() {
        final KafkaStreams.State state = readiness.state();
        return !closed && state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING;
    }

    @Override
    public boolean isReady() {
        return !closed && readiness.isReady();
    }

    @Override
    public Map<String, Object> status() {
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("streams_state", readiness.state().name());
        status.put("restoring_partitions", readiness.restoringPartitions());
        return status;
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.close();
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("Kafka Streams did not stop within {}; its threads are abandoned", CLOSE_TIMEOUT);
        }
    }
}
