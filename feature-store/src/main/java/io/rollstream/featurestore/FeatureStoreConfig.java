package io.rollstream.featurestore;

import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.featurestore.rocksdb.BoundedMemoryRocksDBConfig;
import io.rollstream.featurestore.routing.ServingSettings;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the feature-store service, declared once: key, type, default, validator, doc.
 * Keys are hierarchical ({@code rollstream.<area>.<name>}); raw Kafka Streams / client settings
 * (security, tuning) pass through with the {@value #KAFKA_PREFIX} prefix.
 */
public final class FeatureStoreConfig extends AbstractConfig {

    public static final String KAFKA_PREFIX = "kafka.";

    public static final String BOOTSTRAP_SERVERS = "rollstream.kafka.bootstrap-servers";
    public static final String REGISTRY_URL = "rollstream.registry.url";
    public static final String APPLICATION_ID = "rollstream.application-id";
    public static final String STATE_DIR = "rollstream.state-dir";
    public static final String STREAM_THREADS = "rollstream.streams.threads";
    public static final String PROCESSING_GUARANTEE = "rollstream.streams.processing-guarantee";
    public static final String COMMIT_INTERVAL_MS = "rollstream.streams.commit-interval.ms";
    public static final String MAX_THREAD_FAILURES = "rollstream.streams.max-thread-failures";
    /**
     * 5 within 10 minutes. A thread that fails on every start fails about once a minute: it waits
     * out its backoff, and its replacement gets the tasks back only once the dead thread's consumer
     * has left the group — in Kafka Streams 4.3, at the end of its session ({@code session.timeout.ms},
     * 45 s), as a replaced thread's consumer closes without leaving. Such an instance reports itself
     * within 4 to 7 minutes, while a failure now and then (a broker restarted, a registry blip) never
     * adds up to 5 in 10 minutes.
     */
    public static final int MAX_THREAD_FAILURES_DEFAULT = 5;
    public static final String THREAD_FAILURE_WINDOW_MS = "rollstream.streams.thread-failure-window.ms";
    public static final long THREAD_FAILURE_WINDOW_MS_DEFAULT = Duration.ofMinutes(10).toMillis();
    public static final String PRODUCER_BATCH_BYTES = "rollstream.streams.producer.batch-bytes";
    /**
     * 256 KiB rather than the producer's 16 KiB: a commit writes every changed entity in one burst
     * (about 400 bytes of state per event in the engine benchmark) and then waits for all of it to be
     * acknowledged before the transaction can commit; in 16 KiB batches, at most five requests in
     * flight, a quarter of the stream thread's time went to that wait. Measured in docs/benchmarks.md.
     */
    public static final int PRODUCER_BATCH_BYTES_DEFAULT = 256 * 1024;
    public static final String PRODUCER_COMPRESSION = "rollstream.streams.producer.compression";
    /**
     * lz4 rather than the producer's none: a commit hands the broker, which shares the machine with
     * the stream threads, a burst of changed entities (repeated keys and feature layouts) and relayed
     * events, and waits for all of it. In four A/B pairs of the engine benchmark (b) moved +7%, +8%,
     * +7% and -1% with it: a small gain at best, never a loss beyond the run-to-run spread
     * (docs/benchmarks.md). lz4 is among the cheapest of Kafka's codecs for the producing thread.
     */
    public static final String PRODUCER_COMPRESSION_DEFAULT = "lz4";
    /** The codecs Kafka's producer offers. */
    public static final List<String> PRODUCER_COMPRESSIONS = List.of("none", "gzip", "snappy", "lz4", "zstd");
    public static final String TOPIC_PARTITIONS = "rollstream.topics.partitions";
    public static final String TOPIC_REPLICATION = "rollstream.topics.replication-factor";
    public static final String MAX_FUTURE_SKEW_MS = ClockSkew.MAX_FUTURE_SKEW_CONFIG;
    public static final String HTTP_HOST = "rollstream.http.host";
    public static final String HTTP_PORT = "rollstream.http.port";
    public static final String HTTP_ADVERTISED_HOST = "rollstream.http.advertised-host";
    public static final String FEATURES_FILE = "rollstream.features.file";
    public static final String STANDBY_REPLICAS = "rollstream.serving.standby-replicas";
    public static final String MAX_STANDBY_LAG_RECORDS = "rollstream.serving.max-standby-lag-records";
    public static final String REQUEST_TIMEOUT_MS = "rollstream.serving.request-timeout.ms";
    public static final String FORWARD_TIMEOUT_MS = "rollstream.serving.forward-timeout.ms";
    public static final String BATCH_MAX_IDS = "rollstream.serving.batch.max-ids";
    public static final String LAG_REFRESH_MS = "rollstream.serving.lag-refresh.ms";
    public static final String ANSWER_CACHE_BYTES = "rollstream.serving.answer-cache.bytes";

    /**
     * Includes the RocksDB memory budget ({@link BoundedMemoryRocksDBConfig}) and the event limits
     * ({@link EventLimits}), each declared beside what it configures.
     */
    public static final ConfigDef DEFINITION = EventLimits.define(new ConfigDef(BoundedMemoryRocksDBConfig.CONFIG_DEF))
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, (name, value) -> {
                if (value == null || ((List<?>) value).isEmpty()) {
                    throw new ConfigException(name, value, "give at least one Kafka broker as host:port");
                }
            }, Importance.HIGH, "Kafka brokers to bootstrap from, host:port[,host:port...].")
            .define(REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Base URL of a Confluent-compatible schema registry (Confluent Schema Registry, "
                            + "Apicurio's /apis/ccompat/v7, Karapace).")
            .define(APPLICATION_ID, Type.STRING, "rollstream", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id: the consumer group, and the prefix of changelog topics. "
                            + "Instances with the same id share the work.")
            .define(STATE_DIR, Type.STRING, ".rollstream/state", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Directory of the RocksDB state stores. Each instance on a machine needs its own.")
            .define(STREAM_THREADS, Type.INT, 2, Range.between(1, 64), Importance.MEDIUM,
                    "Stream threads per instance.")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                    "exactly_once_v2 (a crash never double-counts) or at_least_once.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(1), Importance.LOW,
                    "How often processing is committed; with exactly_once_v2 this bounds how soon a read sees an event.")
            .define(MAX_THREAD_FAILURES, Type.INT, MAX_THREAD_FAILURES_DEFAULT, Range.between(1, 1_000), Importance.MEDIUM,
                    "Stream thread failures within " + THREAD_FAILURE_WINDOW_MS + " after which GET /health answers 503, "
                            + "so that an orchestrator restarts the instance. Each failed thread is replaced after a "
                            + "backoff (" + ThreadReplacementBackoff.standard().describe() + "); a record whose "
                            + "processing throws is dead-lettered as PROCESSING_FAILED and fails no thread.")
            .define(THREAD_FAILURE_WINDOW_MS, Type.LONG, THREAD_FAILURE_WINDOW_MS_DEFAULT, Range.atLeast(1_000L),
                    Importance.LOW, "The window, in ms, over which " + MAX_THREAD_FAILURES + " stream thread failures "
                            + "make the instance unhealthy; it turns healthy again once they are older than this.")
            .define(PRODUCER_BATCH_BYTES, Type.INT, PRODUCER_BATCH_BYTES_DEFAULT, Range.between(16 * 1024, 1024 * 1024),
                    Importance.LOW, "Batch size (bytes per partition) of the stream threads' producers, which write the "
                            + "changelogs and the re-partitioned events at every commit; at most 1 MiB, the producer's "
                            + "largest request by default.")
            .define(PRODUCER_COMPRESSION, Type.STRING, PRODUCER_COMPRESSION_DEFAULT,
                    ValidString.in(PRODUCER_COMPRESSIONS.toArray(String[]::new)), Importance.LOW,
                    "Compression of what the stream threads' producers write: changelogs, re-partitioned events and dead letters.")
            .define(TOPIC_PARTITIONS, Type.INT, 3, Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of the topics Rollstream creates when they are missing. An existing events topic "
                            + "keeps its count, and the re-keyed topic is created to match it.")
            .define(TOPIC_REPLICATION, Type.SHORT, (short) 1, Range.atLeast(1), Importance.MEDIUM,
                    "Replication factor of topics Rollstream creates (3 in production).")
            .define(MAX_FUTURE_SKEW_MS, Type.LONG, ClockSkew.DEFAULT_MAX_FUTURE_SKEW.toMillis(),
                    Range.between(0, ClockSkew.MAX_MAX_FUTURE_SKEW.toMillis()), Importance.MEDIUM,
                    "How far an event's time may be ahead of its record timestamp before it is dead-lettered as "
                            + "FUTURE_EVENT_TIME (client clocks are wrong by minutes, not days).")
            .define(HTTP_HOST, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Address the HTTP API binds to; 0.0.0.0 to serve other machines.")
            .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65535), Importance.HIGH,
                    "Port of the HTTP API; 0 picks a free one.")
            .define(HTTP_ADVERTISED_HOST, Type.STRING, "", Importance.MEDIUM,
                    "Host other instances use to reach this one; empty means the bind address.")
            .define(FEATURES_FILE, Type.STRING, "", Importance.HIGH,
                    "The features file (YAML, see docs/features.md); empty means the default personalization set. "
                            + "Changing a definition starts a new application that rebuilds the features from the events topic.")
            .define(STANDBY_REPLICAS, Type.INT, 1, Range.between(0, 8), Importance.HIGH,
                    "Standby copies of every store kept warm on other instances (Kafka Streams' num.standby.replicas). "
                            + "They answer reads, flagged stale, while a key's active owner is unreachable or restoring, "
                            + "and take over its partitions without a full restore.")
            .define(MAX_STANDBY_LAG_RECORDS, Type.LONG, 10_000L, Range.atLeast(0), Importance.MEDIUM,
                    "The most changelog records a standby (or a restoring active) may be behind and still answer a "
                            + "read, flagged stale; a copy further behind is not read and the request waits for the "
                            + "owner or answers 503.")
            .define(REQUEST_TIMEOUT_MS, Type.LONG, 2_000L, Range.between(10, 60_000), Importance.MEDIUM,
                    "Deadline of one feature request, forwards and retries included; at the deadline the answer is "
                            + "503 with Retry-After, never a hang.")
            .define(FORWARD_TIMEOUT_MS, Type.LONG, 500L, Range.between(10, 60_000), Importance.LOW,
                    "How long a request forwarded to another instance may take before the next replica is tried "
                            + "(never longer than what is left of the request's deadline).")
            .define(BATCH_MAX_IDS, Type.INT, 1_000, Range.between(1, 100_000), Importance.MEDIUM,
                    "The most ids one POST /v1/features/{entity}:batch may ask for; more is answered 413.")
            .define(LAG_REFRESH_MS, Type.LONG, 1_000L, Range.between(50, 60_000), Importance.LOW,
                    "How often an instance measures how far its local stores are behind their changelogs (one "
                            + "ListOffsets request to the brokers); standby reads are judged by the latest measure.")
            .define(ANSWER_CACHE_BYTES, Type.LONG, 256L * 1024 * 1024, Range.atLeast(0), Importance.MEDIUM,
                    "Bytes of single-get answers (all features) an instance keeps, on the Java heap, to answer the same "
                            + "key again without reading the store: an answer is dropped as soon as the key's state is "
                            + "written or a window edge or session end would change it, and all of them when a task "
                            + "moves. Never more than a quarter of the heap (-Xmx); 0 keeps none.");

    public FeatureStoreConfig(final Map<?, ?> values) {
        super(DEFINITION, values, false);
    }

    public Duration maxFutureSkew() {
        return Duration.ofMillis(getLong(MAX_FUTURE_SKEW_MS));
    }

    /** The {@code rollstream.events.*} limits the ingest dead-letters oversized records by. */
    public EventLimits eventLimits() {
        return EventLimits.fromConfig(originals());
    }

    public String bootstrapServers() {
        return String.join(",", getList(BOOTSTRAP_SERVERS));
    }

    /** The features to compute: the configured file, or the default set. */
    public FeatureCatalog featureCatalog() {
        final String file = getString(FEATURES_FILE);
        return file.isBlank() ? FeaturesFile.loadDefault() : FeaturesFile.load(Path.of(file));
    }

    /** How reads are served across instances (the {@code rollstream.serving.*} settings). */
    public ServingSettings serving() {
        return new ServingSettings(getLong(MAX_STANDBY_LAG_RECORDS), Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS)),
                Duration.ofMillis(getLong(FORWARD_TIMEOUT_MS)), getInt(BATCH_MAX_IDS));
    }

    /** When stream thread failures make the instance unhealthy ({@value #MAX_THREAD_FAILURES} and its window). */
    ThreadFailureWindow threadFailureWindow() {
        return new ThreadFailureWindow(getInt(MAX_THREAD_FAILURES), Duration.ofMillis(getLong(THREAD_FAILURE_WINDOW_MS)));
    }

    /** {@value #ANSWER_CACHE_BYTES}, at most a quarter of this JVM's heap. */
    public long answerCacheBytes() {
        return Math.min(getLong(ANSWER_CACHE_BYTES), Runtime.getRuntime().maxMemory() / 4);
    }

    /** The raw Kafka settings given with the {@value #KAFKA_PREFIX} prefix, prefix removed. */
    public Map<String, Object> kafkaOverrides() {
        return new HashMap<>(originalsWithPrefix(KAFKA_PREFIX));
    }

    /** The settings reference, for {@code --help} and the README. */
    public static String documentation() {
        return DEFINITION.toRst();
    }
}
