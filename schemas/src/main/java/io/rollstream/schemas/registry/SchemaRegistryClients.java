package io.rollstream.schemas.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Creates the client a Confluent-style config asks for: a {@link RestSchemaRegistryClient} for http(s)
 * URLs, or for {@code mock://<scope>} the {@link InMemorySchemaRegistryClient} shared by everything in this
 * JVM configured with that scope — so a serde Kafka Streams creates from a class name and the test that
 * inspects the registry see the same one.
 */
public final class SchemaRegistryClients {

    private static final Map<String, InMemorySchemaRegistryClient> MOCK_SCOPES = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    /**
     * A client configured by the keys of {@link SchemaRegistryConfig}; other keys are ignored, so a whole
     * producer, consumer or Streams config can be passed.
     *
     * @throws ConfigException when a key is missing or invalid
     */
    public static SchemaRegistryClient create(Map<String, ?> configs) {
        SchemaRegistryConfig config = new SchemaRegistryConfig(configs);
        List<String> urls = config.getList(SchemaRegistryConfig.URL_CONFIG);
        if (urls.getFirst().startsWith(SchemaRegistryConfig.MOCK_URL_PREFIX)) {
            return mockScope(urls.getFirst().substring(SchemaRegistryConfig.MOCK_URL_PREFIX.length()));
        }
        RestSchemaRegistryClient.Builder builder = RestSchemaRegistryClient.builder(urls)
                .connectTimeout(Duration.ofMillis(config.getLong(SchemaRegistryConfig.CONNECT_TIMEOUT_MS_CONFIG)))
                .requestTimeout(Duration.ofMillis(config.getLong(SchemaRegistryConfig.REQUEST_TIMEOUT_MS_CONFIG)));
        Password userInfo = config.getPassword(SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG);
        if (userInfo != null) {
            try {
                builder.basicAuth(userInfo.value());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG + ": " + e.getMessage());
            }
        }
        return builder.build();
    }

    /** The in-memory registry {@code schema.registry.url=mock://<scope>} resolves to, created on first use. */
    public static InMemorySchemaRegistryClient mockScope(String scope) {
        Objects.requireNonNull(scope, "scope");
        return MOCK_SCOPES.computeIfAbsent(scope, name -> new InMemorySchemaRegistryClient("mock://" + name));
    }

    /** Forgets a mock scope, so the next test using the name starts from an empty registry. */
    public static void dropMockScope(String scope) {
        MOCK_SCOPES.remove(scope);
    }
}
