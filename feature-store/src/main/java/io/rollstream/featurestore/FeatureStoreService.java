package io.rollstream.featurestore;

import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.featurestore.answers.AnswerCache;
import io.rollstream.featurestore.answers.AnswerTemplate;
import io.rollstream.featurestore.answers.CacheBudget;
import io.rollstream.featurestore.http.FeatureHttpServer;
import io.rollstream.featurestore.rocksdb.BoundedMemoryRocksDBConfig;
import io.rollstream.featurestore.routing.ServingSettings;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.routing.FeatureRouter;
import io.rollstream.featurestore.routing.PeerClient;
import io.rollstream.featurestore.routing.StoreRestores;
import io.rollstream.featurestore.routing.StreamsReplicas;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.topologies.RollstreamTopology;
import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.topologies.errors.DeadLetterProcessingExceptionHandler;
import io.rollstream.topologies.errors.ProcessingFailures;
import io.rollstream.topologies.errors.RecordFault;
import io.rollstream.topologies.features.EntityStateStoreBuilder;
import io.rollstream.topologies.features.EntityWriteListener;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One feature-store instance: provisions topics, runs the Rollstream topology with exactly-once
 * processing and persistent state, and serves its stores over HTTP. Instances with the same
 * application id split the partitions between them.
 */
public final class FeatureStoreService implements AutoCloseable, FeatureHttpServer.Backend {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureStoreService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(8);
    /** What anchors the windows of reads, and what a kept answer's expiry is judged by. */
    private static final Clock CLOCK = Clock.systemUTC();

    private final FeatureStoreConfig config;
    private final String applicationId;
    private final KafkaStreams streams;
    private final StreamsReadiness readiness;
    /** What became of failed records and stream threads (group {@value ProcessingFailures#GROUP}). */
    private final Metrics failureMetrics = new Metrics();
    private final ThreadFailureWindow threadFailures;
    private final StreamThreadReplacer threadReplacer;
    private final FeatureHttpServer http;
    private final Map<String, ServedEntity> entities;
    private final StreamsReplicas replicas;
    private final PeerClient peers;
    private final FeatureRouter router;
    private volatile boolean closed;

    private FeatureStoreService(final FeatureStoreConfig config, final FeatureCatalog catalog, final RecordFault fault)
            throws IOException {
        this.config = config;
        final int partitions;
        final Map<String, Object> adminConfig = new java.util.HashMap<>(config.kafkaOverrides());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            partitions = new TopicProvisioner(admin, config.getInt(FeatureStoreConfig.TOPIC_PARTITIONS),
                    config.getShort(FeatureStoreConfig.TOPIC_REPLICATION), new ClockSkew(config.maxFutureSkew()))
                    .ensureTopics(RollstreamTopology.partitionedByTopics(catalog));
        }

        final SchemaRegistryClient registry = RestSchemaRegistryClient.builder(config.getString(FeatureStoreConfig.REGISTRY_URL)).build();
        // The stores tell each entity's answer cache what they write, so a kept answer never outlives its state.
        final CacheBudget answerBudget = new CacheBudget(config.answerCacheBytes(), CLOCK);
        final EventLimits limits = config.eventLimits();
        final Map<String, ServedEntity> byEntity = new LinkedHashMap<>();
        final Map<String, EntityWriteListener> writeListeners = new HashMap<>();
        for (final FeatureSet set : catalog.entities()) {
            final String store = RollstreamTopology.storeName(set);
            final AnswerCache<AnswerTemplate> answers = answerBudget.isOff() ? null : new AnswerCache<>(answerBudget);
            byEntity.put(set.entity(), ServedEntity.of(set, store, answers, limits));
            writeListeners.put(store, answers == null ? EntityWriteListener.NONE : answers);
        }
        this.entities = Map.copyOf(byEntity);
        final Topology topology = RollstreamTopology.build(new RollstreamTopology.Settings(catalog,
                config.maxFutureSkew(), partitions, () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class),
                EntityStateStoreBuilder.DEFAULT_CACHED_ENTITIES, writeListeners::get, limits)
                .withRecordFault(fault));
        this.applicationId = applicationId(config, catalog);

        this.http = FeatureHttpServer.bind(config.getString(FeatureStoreConfig.HTTP_HOST),
                config.getInt(FeatureStoreConfig.HTTP_PORT));
        final HostInfo self = new HostInfo(advertisedHost(), http.port());
        this.streams = new KafkaStreams(topology, streamsProperties(config, applicationId, self,
                new ProcessingFailures(failureMetrics)));
        final StoreRestores restores = new StoreRestores(writeListeners::get);
        this.readiness = new StreamsReadiness(restores);
        streams.setStateListener(readiness);
        streams.setGlobalStateRestoreListener(restores);
        this.threadFailures = config.threadFailureWindow();
        this.threadReplacer = new StreamThreadReplacer(ThreadReplacementBackoff.standard(), threadFailures, failureMetrics, CLOCK);
        streams.setUncaughtExceptionHandler(threadReplacer);
        final ServingSettings serving = config.serving();
        this.replicas = new StreamsReplicas(streams, restores, Duration.ofMillis(config.getLong(FeatureStoreConfig.LAG_REFRESH_MS)));
        this.peers = new PeerClient(serving.forwardTimeout());
        this.router = new FeatureRouter(self, serving, replicas, peers);
        for (final ServedEntity entity : entities.values()) {
            if (entity.answers() != null) {
                router.metrics().watch(entity.name(), entity.answers());
            }
        }
    }

    /**
     * The application id carries the features' fingerprint: a changed definition is a new
     * application, with its own consumer group and stores, that rebuilds every feature from the
     * start of the events topic instead of mixing old and new state.
     */
    static String applicationId(final FeatureStoreConfig config, final FeatureCatalog catalog) {
        return config.getString(FeatureStoreConfig.APPLICATION_ID) + "-" + catalog.fingerprint();
    }

    /** Starts an instance and returns once it is serving HTTP (reads answer 503 until it is ready). */
    public static FeatureStoreService start(final FeatureStoreConfig config, final FeatureCatalog catalog)
            throws IOException {
        return start(config, catalog, RecordFault.NONE);
    }

    /** For tests: an instance whose entity processors throw where {@code fault} says. */
    static FeatureStoreService start(final FeatureStoreConfig config, final FeatureCatalog catalog, final RecordFault fault)
            throws IOException {
        final FeatureStoreService service = new FeatureStoreService(config, catalog, fault);
        service.streams.start();
        service.http.start(service, CLOCK);
        LOG.info("Feature store serving {} ({} features of {}; application {}, {} with {} stream threads)", service.uri(),
                catalog.featureCount(), catalog.byEntity().keySet(), service.applicationId,
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

    static Properties streamsProperties(final FeatureStoreConfig config, final String applicationId, final HostInfo self,
                                        final ProcessingFailures failures) {
        final Properties props = new Properties();
        props.putAll(RollstreamTopology.streamsSettings());
        // A record whose processing throws is dead-lettered, and its partition goes on.
        props.putAll(DeadLetterProcessingExceptionHandler.streamsSettings(failures));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.getString(FeatureStoreConfig.PROCESSING_GUARANTEE));
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(FeatureStoreConfig.STATE_DIR));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(FeatureStoreConfig.STREAM_THREADS));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(FeatureStoreConfig.COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.getInt(FeatureStoreConfig.STANDBY_REPLICAS));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG),
                config.getInt(FeatureStoreConfig.PRODUCER_BATCH_BYTES));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG),
                config.getString(FeatureStoreConfig.PRODUCER_COMPRESSION));
        // Every store of the process shares one block cache and write-buffer budget.
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class);
        props.put(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, config.getLong(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG));
        props.put(BoundedMemoryRocksDBConfig.WRITE_BUFFER_RATIO_CONFIG,
                config.getDouble(BoundedMemoryRocksDBConfig.WRITE_BUFFER_RATIO_CONFIG));
        // Opt in now to what becomes the default in Kafka 5.0 (and silences its warning): the handler
        // for global stores too. Rollstream has none; Kafka 4.3 could not dead-letter their records.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        final Map<String, Object> overrides = config.kafkaOverrides();
        props.putAll(overrides);
        // Kafka Streams gives "producer."-prefixed settings precedence over plain ones: an
        // operator's kafka.compression.type or kafka.batch.size would silently lose to the
        // prefixed values set above. What the operator names explicitly wins.
        for (final String producerSetting : List.of(ProducerConfig.BATCH_SIZE_CONFIG, ProducerConfig.COMPRESSION_TYPE_CONFIG)) {
            if (overrides.containsKey(producerSetting) && !overrides.containsKey(StreamsConfig.producerPrefix(producerSetting))) {
                props.remove(StreamsConfig.producerPrefix(producerSetting));
            }
        }
        return props;
    }

    public URI uri() {
        return http.uri();
    }

    public String applicationId() {
        return applicationId;
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public Map<String, ServedEntity> entities() {
        return entities;
    }

    @Override
    public FeatureRouter router() {
        return router;
    }

    @Override
    public boolean isLive() {
        return livenessProblem().isEmpty();
    }

    /** Why this instance should be restarted, if it should. */
    private Optional<String> livenessProblem() {
        if (closed) {
            return Optional.of("the instance is shutting down");
        }
        final KafkaStreams.State state = readiness.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
            return Optional.of("Kafka Streams is " + state + " and processes nothing; restart this instance");
        }
        return threadFailures.problem(CLOCK.instant());
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
        status.put("stream_thread_failures", threadFailures.failuresWithin(CLOCK.instant()));
        livenessProblem().ifPresent(problem -> status.put("reason", problem));
        return status;
    }

    /**
     * Kafka Streams' metrics (clients, threads, tasks, stores, the topology's own), the read path's,
     * and what became of failed records and threads.
     */
    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        final Map<MetricName, Metric> all = new HashMap<>(streams.metrics());
        all.putAll(router.metrics().metrics());
        // Not the registry's own bookkeeping, which Kafka Streams already reports.
        failureMetrics.metrics().forEach((name, metric) -> {
            if (name.group().equals(ProcessingFailures.GROUP)) {
                all.put(name, metric);
            }
        });
        return all;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.close();
        router.close();
        peers.close();
        replicas.close();
        threadReplacer.close();
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("Kafka Streams did not stop within {}; its threads are abandoned", CLOSE_TIMEOUT);
        }
        failureMetrics.close();
    }
}
