package io.rollstream.schemas.serde;

import static io.rollstream.schemas.TestSchemas.sampleEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Serdes created the way Kafka creates them: from class names, configured by a map. */
class KafkaConfiguredSerdeTest {

    private static final String SCOPE = "kafka-configured-serde-test";
    private static final String TOPIC = "clickstream.events";

    private final Map<String, Object> configs = new HashMap<>(Map.of(
            "schema.registry.url", "mock://" + SCOPE,
            "specific.avro.value.type", ClickEvent.class.getName()));

    @AfterEach
    void dropScope() {
        SchemaRegistryClients.dropMockScope(SCOPE);
    }

    @Test
    void shouldRoundTripThroughSerdesConfiguredByMap() {
        ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(configs, false);
        ConfluentAvroDeserializer<ClickEvent> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(configs, false);

        byte[] bytes = serializer.serialize(TOPIC, sampleEvent());

        assertThat(deserializer.deserialize(TOPIC, bytes)).isEqualTo(sampleEvent());
        assertThat(SchemaRegistryClients.mockScope(SCOPE).subjects()).containsExactly(TOPIC + "-value");
    }

    @Test
    void shouldHonourAutoRegisterSchemasFalse() {
        configs.put("auto.register.schemas", "false");
        ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(configs, false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, sampleEvent()))
                .hasMessageContaining("auto.register.schemas=false");
    }

    @Test
    void shouldConfigureClickEventSerdeByClassNameWithoutTypeKey() {
        ClickEventSerde serde = new ClickEventSerde();
        serde.configure(Map.of("schema.registry.url", "mock://" + SCOPE), true);

        byte[] bytes = serde.serializer().serialize(TOPIC, sampleEvent());

        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(sampleEvent());
        assertThat(SchemaRegistryClients.mockScope(SCOPE).subjects()).containsExactly(TOPIC + "-key");
    }

    @Test
    void shouldLetPlainKafkaClientsCreateTheSerdesFromClassNames() {
        Map<String, Object> producerConfigs = new HashMap<>(configs);
        producerConfigs.put("bootstrap.servers", "127.0.0.1:9");
        producerConfigs.put("key.serializer", StringSerializer.class.getName());
        producerConfigs.put("value.serializer", ConfluentAvroSerializer.class.getName());
        Map<String, Object> consumerConfigs = new HashMap<>(configs);
        consumerConfigs.put("bootstrap.servers", "127.0.0.1:9");
        consumerConfigs.put("group.id", "serde-test");
        consumerConfigs.put("key.deserializer", StringDeserializer.class.getName());
        consumerConfigs.put("value.deserializer", ConfluentAvroDeserializer.class.getName());

        // The constructors instantiate and configure the serdes; a bad serde config would fail here.
        new KafkaProducer<String, ClickEvent>(producerConfigs).close(Duration.ZERO);
        new KafkaConsumer<String, ClickEvent>(consumerConfigs).close(Duration.ZERO);
    }

    @Test
    void shouldRequireTheTypeToDecodeInto() {
        assertThatThrownBy(() -> new ConfluentAvroDeserializer<>().configure(
                Map.of("schema.registry.url", "mock://" + SCOPE), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("specific.avro.value.type")
                .hasMessageContaining("io.rollstream.schemas.ClickEvent");
    }

    @Test
    void shouldRejectATypeThatIsNotGeneratedAvro() {
        configs.put("specific.avro.value.type", String.class.getName());

        assertThatThrownBy(() -> new ConfluentAvroDeserializer<>().configure(configs, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SpecificRecord");
    }

    @Test
    void shouldRejectSubjectStrategiesOtherThanTopicName() {
        configs.put("value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy");

        assertThatThrownBy(() -> new ConfluentAvroSerializer<>().configure(configs, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Only TopicNameStrategy");
        configs.put("value.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicNameStrategy");
        new ConfluentAvroSerializer<>().configure(configs, false);
    }

    @Test
    void shouldRefuseToReconfigureASerdeBuiltWithAClient() {
        ClickEventSerde serde = new ClickEventSerde(new InMemorySchemaRegistryClient());

        assertThatThrownBy(() -> serde.configure(configs, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Pass the options to the constructor");
    }
}
