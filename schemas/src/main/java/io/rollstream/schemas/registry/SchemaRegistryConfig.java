package io.rollstream.schemas.registry;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How to reach the schema registry, under Confluent's config keys so that an existing producer or Streams
 * config works as is. The timeouts are Rollstream's own and carry a {@code schema.registry.} prefix so they
 * cannot collide with the Kafka client keys ({@code request.timeout.ms}) living in the same map.
 */
public final class SchemaRegistryConfig extends AbstractConfig {

    public static final String URL_CONFIG = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String CONNECT_TIMEOUT_MS_CONFIG = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";

    /** The {@code schema.registry.url} scheme naming a shared in-memory registry, as in Confluent's serdes. */
    public static final String MOCK_URL_PREFIX = "mock://";

    private static final String USER_INFO_SOURCE = "USER_INFO";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, SchemaRegistryConfig::validateUrls,
                    Importance.HIGH, "Comma-separated base URLs of one schema registry speaking the Confluent "
                    + "protocol, e.g. http://localhost:8081 (Confluent, Karapace) or "
                    + "http://localhost:8080/apis/ccompat/v7 (Apicurio Registry). A call that gets no answer from "
                    + "one URL tries the next. mock://<scope> instead names an in-memory registry shared by "
                    + "everything configured with the same scope in this JVM (tests).")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, USER_INFO_SOURCE,
                    ConfigDef.ValidString.in(USER_INFO_SOURCE), Importance.LOW,
                    "Where basic-auth credentials come from; only USER_INFO (basic.auth.user.info) is supported.")
            .define(BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                    "Basic-auth credentials as user:secret; none when unset.")
            .define(CONNECT_TIMEOUT_MS_CONFIG, Type.LONG,
                    RestSchemaRegistryClient.DEFAULT_CONNECT_TIMEOUT.toMillis(), ConfigDef.Range.atLeast(1),
                    Importance.LOW, "How long to wait for a TCP connection to the registry.")
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.LONG,
                    RestSchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT.toMillis(), ConfigDef.Range.atLeast(1),
                    Importance.LOW, "How long to wait for the registry's answer to one call.");

    public SchemaRegistryConfig(Map<String, ?> configs) {
        super(CONFIG, configs, false);
    }

    /** A copy of the definition, for configs that add keys of their own (the serdes'). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    private static void validateUrls(String key, Object value) {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) value;
        if (urls.isEmpty()) {
            throw new ConfigException(key, value, "Give at least one registry URL, e.g. http://localhost:8081 or "
                    + "mock://<scope> in tests");
        }
        boolean mock = urls.stream().anyMatch(url -> url.startsWith(MOCK_URL_PREFIX));
        if (mock) {
            if (urls.size() > 1 || urls.getFirst().length() == MOCK_URL_PREFIX.length()) {
                throw new ConfigException(key, value, "A mock:// URL must stand alone and name a scope, e.g. "
                        + "mock://my-test");
            }
            return;
        }
        for (String url : urls) {
            try {
                RestSchemaRegistryClient.parseBaseUrl(url);
            } catch (IllegalArgumentException e) {
                // Not ConfigException(key, value, ...): the value may hold credentials.
                throw new ConfigException("Invalid " + key + ": " + e.getMessage());
            }
        }
    }
}
