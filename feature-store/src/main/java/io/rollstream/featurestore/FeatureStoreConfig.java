package io.rollstream.featurestore;

import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.featurestore.rocksdb.BoundedMemoryRocksDBConfig;
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
    public static final String TOPIC_PARTITIONS = "rollstream.topics.partitions";
    public static final String TOPIC_REPLICATION = "rollstream.topics.replication-factor";
    public static final String MAX_FUTURE_SKEW_MS = "rollstream.ingest.max-future-skew.ms";
    public static final String HTTP_HOST = "rollstream.http.host";
    public static final String HTTP_PORT = "rollstream.http.port";
    public static final String HTTP_ADVERTISED_HOST = "rollstream.http.advertised-host";
    public static final String FEATURES_FILE = "rollstream.features.file";

    /** Includes the RocksDB memory budget ({@link BoundedMemoryRocksDBConfig}), declared beside its setter. */
    public static final ConfigDef DEFINITION = new ConfigDef(BoundedMemoryRocksDBConfig.CONFIG_DEF)
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
            .define(TOPIC_PARTITIONS, Type.INT, 3, Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of the topics Rollstream creates when they are missing. An existing events topic "
                            + "keeps its count, and the re-keyed topic is created to match it.")
            .define(TOPIC_REPLICATION, Type.SHORT, (short) 1, Range.atLeast(1), Importance.MEDIUM,
                    "Replication factor of topics Rollstream creates (3 in production).")
            .define(MAX_FUTURE_SKEW_MS, Type.LONG, Duration.ofMinutes(5).toMillis(), Range.atLeast(0), Importance.MEDIUM,
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
                            + "Changing a definition starts a new application that rebuilds the features from the events topic.");

    public FeatureStoreConfig(final Map<?, ?> values) {
        super(DEFINITION, values, false);
    }

    public Duration maxFutureSkew() {
        return Duration.ofMillis(getLong(MAX_FUTURE_SKEW_MS));
    }

    public String bootstrapServers() {
        return String.join(",", getList(BOOTSTRAP_SERVERS));
    }

    /** The features to compute: the configured file, or the default set. */
    public FeatureCatalog featureCatalog() {
        final String file = getString(FEATURES_FILE);
        return file.isBlank() ? FeaturesFile.loadDefault() : FeaturesFile.load(Path.of(file));
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
