package io.rollstream.featurestore;

import io.rollstream.featurestore.routing.ServingSettings;
import io.rollstream.topologies.errors.DeadLetterProcessingExceptionHandler;
import io.rollstream.topologies.errors.ProcessingFailures;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureStoreConfigTest {

    private static final ProcessingFailures FAILURES = new ProcessingFailures(new Metrics());

    @Test
    void shouldNameTheMissingSettingWhenBootstrapServersAreAbsent() {
        assertThatThrownBy(() -> new FeatureStoreConfig(Map.of(FeatureStoreConfig.REGISTRY_URL, "http://r")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FeatureStoreConfig.BOOTSTRAP_SERVERS);
    }

    @Test
    void shouldRejectAnUnknownProcessingGuaranteeSayingWhichAreAllowed() {
        assertThatThrownBy(() -> new FeatureStoreConfig(Map.of(FeatureStoreConfig.BOOTSTRAP_SERVERS, "k:9092",
                FeatureStoreConfig.REGISTRY_URL, "http://r", FeatureStoreConfig.PROCESSING_GUARANTEE, "maybe_once")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("exactly_once_v2");
    }

    @Test
    void shouldDefaultToExactlyOnceAndLoopbackAndPassKafkaSettingsThrough() {
        final FeatureStoreConfig config = new FeatureStoreConfig(Map.of(FeatureStoreConfig.BOOTSTRAP_SERVERS, "a:1,b:2",
                FeatureStoreConfig.REGISTRY_URL, "http://r", "kafka.security.protocol", "SSL"));
        assertThat(config.bootstrapServers()).isEqualTo("a:1,b:2");
        assertThat(config.getString(FeatureStoreConfig.PROCESSING_GUARANTEE)).isEqualTo("exactly_once_v2");
        assertThat(config.getString(FeatureStoreConfig.HTTP_HOST)).isEqualTo("127.0.0.1");
        assertThat(config.kafkaOverrides()).containsEntry("security.protocol", "SSL");
        assertThat(FeatureStoreConfig.documentation()).contains(FeatureStoreConfig.MAX_FUTURE_SKEW_MS);
    }

    @Test
    void shouldServeWithOneStandbyAndBoundedStalenessAndDeadlineByDefault() {
        final FeatureStoreConfig config = new FeatureStoreConfig(Map.of(FeatureStoreConfig.BOOTSTRAP_SERVERS, "k:9092",
                FeatureStoreConfig.REGISTRY_URL, "http://r"));

        assertThat(config.serving()).isEqualTo(new ServingSettings(10_000, Duration.ofSeconds(2), Duration.ofMillis(500), 1000));
        assertThat(streamsProperties(config))
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "h:1");
    }

    @Test
    void shouldGiveTheStreamProducersLargeBatchesUnlessToldOtherwiseAndRefuseOnesOverARequest() {
        final String producerBatch = StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG);

        assertThat(streamsPropertiesWith(Map.of())).containsEntry(producerBatch, 256 * 1024);
        assertThat(streamsPropertiesWith(Map.of(FeatureStoreConfig.PRODUCER_BATCH_BYTES, "65536")))
                .containsEntry(producerBatch, 65536);
        assertThatThrownBy(() -> streamsPropertiesWith(Map.of(FeatureStoreConfig.PRODUCER_BATCH_BYTES, "4194304")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FeatureStoreConfig.PRODUCER_BATCH_BYTES);
    }

    @Test
    void shouldCompressWhatTheStreamProducersWriteWithLz4UnlessToldOtherwiseAndRefuseAnUnknownCodec() {
        final String compression = StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG);

        assertThat(streamsPropertiesWith(Map.of())).containsEntry(compression, "lz4");
        assertThat(streamsPropertiesWith(Map.of(FeatureStoreConfig.PRODUCER_COMPRESSION, "zstd")))
                .containsEntry(compression, "zstd");
        assertThatThrownBy(() -> streamsPropertiesWith(Map.of(FeatureStoreConfig.PRODUCER_COMPRESSION, "brotli")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FeatureStoreConfig.PRODUCER_COMPRESSION)
                .hasMessageContaining("lz4");
    }

    @Test
    void shouldLetAnOperatorsPlainKafkaProducerSettingsWinOverRollstreamsPrefixedOnes() {
        // Kafka Streams would prefer producer.compression.type over compression.type: ours must step aside.
        final Properties props = streamsPropertiesWith(Map.of("kafka.compression.type", "zstd", "kafka.batch.size", "32768"));

        assertThat(props).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "32768")
                .doesNotContainKey(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG))
                .doesNotContainKey(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG));
        assertThat(new StreamsConfig(props).getProducerConfigs("client").get(ProducerConfig.COMPRESSION_TYPE_CONFIG))
                .isEqualTo("zstd");
    }

    /** Kafka Streams' properties for a service given the required settings and {@code settings}. */
    private static Properties streamsPropertiesWith(final Map<String, String> settings) {
        final Map<String, String> all = new HashMap<>(settings);
        all.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, "k:9092");
        all.put(FeatureStoreConfig.REGISTRY_URL, "http://r");
        return streamsProperties(new FeatureStoreConfig(all));
    }

    private static Properties streamsProperties(final FeatureStoreConfig config) {
        return FeatureStoreService.streamsProperties(config, "app", new HostInfo("h", 1), FAILURES);
    }

    @Test
    void shouldPassTheStandbySettingToKafkaStreamsAndRejectAZeroBatchLimit() {
        final FeatureStoreConfig config = new FeatureStoreConfig(Map.of(FeatureStoreConfig.BOOTSTRAP_SERVERS, "k:9092",
                FeatureStoreConfig.REGISTRY_URL, "http://r", FeatureStoreConfig.STANDBY_REPLICAS, "2"));

        assertThat(streamsProperties(config))
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 2);
        assertThatThrownBy(() -> new FeatureStoreConfig(Map.of(FeatureStoreConfig.BOOTSTRAP_SERVERS, "k:9092",
                FeatureStoreConfig.REGISTRY_URL, "http://r", FeatureStoreConfig.BATCH_MAX_IDS, "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FeatureStoreConfig.BATCH_MAX_IDS);
    }

    @Test
    void shouldKeepAnswersWithinAQuarterOfTheHeapAndRejectANegativeBudget() {
        final Map<String, String> required = Map.of(FeatureStoreConfig.BOOTSTRAP_SERVERS, "k:9092",
                FeatureStoreConfig.REGISTRY_URL, "http://r");
        final long quarterOfHeap = Runtime.getRuntime().maxMemory() / 4;

        assertThat(new FeatureStoreConfig(required).answerCacheBytes()).isEqualTo(Math.min(256L * 1024 * 1024, quarterOfHeap));
        final Map<String, String> huge = new HashMap<>(required);
        huge.put(FeatureStoreConfig.ANSWER_CACHE_BYTES, Long.toString(Long.MAX_VALUE));
        assertThat(new FeatureStoreConfig(huge).answerCacheBytes()).isEqualTo(quarterOfHeap);
        final Map<String, String> off = new HashMap<>(required);
        off.put(FeatureStoreConfig.ANSWER_CACHE_BYTES, "0");
        assertThat(new FeatureStoreConfig(off).answerCacheBytes()).isZero();
        final Map<String, String> negative = new HashMap<>(required);
        negative.put(FeatureStoreConfig.ANSWER_CACHE_BYTES, "-1");
        assertThatThrownBy(() -> new FeatureStoreConfig(negative))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FeatureStoreConfig.ANSWER_CACHE_BYTES);
    }

    @Test
    void shouldNotLetAnEmptyReKeyedPartitionHoldTasksBack() {
        final FeatureStoreConfig config = new FeatureStoreConfig(Map.of(FeatureStoreConfig.BOOTSTRAP_SERVERS, "k:9092",
                FeatureStoreConfig.REGISTRY_URL, "http://r"));

        assertThat(streamsProperties(config))
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    }

    @Test
    void shouldDeadLetterWhatProcessingThrowsOnThroughTheSharedFailuresUnlessTheOperatorNamesAnotherHandler() {
        final Properties props = streamsPropertiesWith(Map.of());

        assertThat(props).containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingExceptionHandler.class).containsEntry(DeadLetterProcessingExceptionHandler.FAILURES_CONFIG,
                FAILURES);
        assertThat(new StreamsConfig(props).processingExceptionHandler())
                .as("Kafka Streams makes and configures it with the shared failures")
                .isInstanceOf(DeadLetterProcessingExceptionHandler.class);
        assertThat(streamsPropertiesWith(Map.of("kafka." + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndFailProcessingExceptionHandler.class.getName())))
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        LogAndFailProcessingExceptionHandler.class.getName());
    }

    @Test
    void shouldTurnUnhealthyAtFiveThreadFailuresInTenMinutesByDefaultAndRefuseAWindowUnderASecond() {
        final Map<String, String> required = Map.of(FeatureStoreConfig.BOOTSTRAP_SERVERS, "k:9092",
                FeatureStoreConfig.REGISTRY_URL, "http://r");

        final ThreadFailureWindow window = new FeatureStoreConfig(required).threadFailureWindow();
        assertThat(window.maxFailures()).isEqualTo(5);
        assertThat(window.window()).isEqualTo(Duration.ofMinutes(10));
        final Map<String, String> tiny = new HashMap<>(required);
        tiny.put(FeatureStoreConfig.THREAD_FAILURE_WINDOW_MS, "10");
        assertThatThrownBy(() -> new FeatureStoreConfig(tiny)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(FeatureStoreConfig.THREAD_FAILURE_WINDOW_MS);
        final Map<String, String> never = new HashMap<>(required);
        never.put(FeatureStoreConfig.MAX_THREAD_FAILURES, "0");
        assertThatThrownBy(() -> new FeatureStoreConfig(never)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(FeatureStoreConfig.MAX_THREAD_FAILURES);
    }
}
