package io.rollstream.featurestore;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureStoreConfigTest {

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
}
