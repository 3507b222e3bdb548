package io.rollstream.schemas.serde;

import io.rollstream.schemas.registry.SchemaRegistryConfig;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The config of {@link ConfluentAvroSerializer} and {@link ConfluentAvroDeserializer} when Kafka creates
 * them from a class name: the registry keys of {@link SchemaRegistryConfig} plus these, all under
 * Confluent's names so an existing Confluent serde config works unchanged.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String SPECIFIC_AVRO_KEY_TYPE_CONFIG = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE_CONFIG = "specific.avro.value.type";
    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";

    private static final String TOPIC_NAME_STRATEGY = "TopicNameStrategy";

    private static final ConfigDef CONFIG = SchemaRegistryConfig.configDef()
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Serializer: register the record's schema under the topic's subject on first use. When false, "
                    + "only look up its id, and fail when that exact schema is not registered.")
            .define(SPECIFIC_AVRO_KEY_TYPE_CONFIG, Type.CLASS, null, Importance.MEDIUM,
                    "Deserializer of keys: the generated Avro class (a SpecificRecord) to decode into.")
            .define(SPECIFIC_AVRO_VALUE_TYPE_CONFIG, Type.CLASS, null, Importance.HIGH,
                    "Deserializer of values: the generated Avro class (a SpecificRecord) to decode into, e.g. "
                    + "io.rollstream.schemas.ClickEvent.")
            .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, null, AvroSerdeConfig::validateStrategy,
                    Importance.LOW, "Only TopicNameStrategy (subject <topic>-key) is supported; accepted so "
                    + "Confluent configs naming it work.")
            .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, null, AvroSerdeConfig::validateStrategy,
                    Importance.LOW, "Only TopicNameStrategy (subject <topic>-value) is supported; accepted so "
                    + "Confluent configs naming it work.");

    public AvroSerdeConfig(Map<String, ?> configs) {
        super(CONFIG, configs, false);
    }

    /** The generated class {@code specific.avro.key.type} or {@code specific.avro.value.type} names, or null. */
    Class<?> specificType(boolean isKey) {
        return getClass(isKey ? SPECIFIC_AVRO_KEY_TYPE_CONFIG : SPECIFIC_AVRO_VALUE_TYPE_CONFIG);
    }

    private static void validateStrategy(String key, Object value) {
        // Writing under another subject than configured would break the contract silently; refuse instead.
        if (value != null && !value.toString().equals(TOPIC_NAME_STRATEGY)
                && !value.toString().endsWith("." + TOPIC_NAME_STRATEGY)) {
            throw new ConfigException(key, value, "Only TopicNameStrategy (subjects <topic>-key and <topic>-value) "
                    + "is supported; remove the setting or set it to "
                    + "io.confluent.kafka.serializers.subject.TopicNameStrategy");
        }
    }
}
