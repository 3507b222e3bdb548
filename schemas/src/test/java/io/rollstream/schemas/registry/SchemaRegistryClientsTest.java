package io.rollstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientsTest {

    private static final String SCOPE = "schema-registry-clients-test";

    @AfterEach
    void dropScope() {
        SchemaRegistryClients.dropMockScope(SCOPE);
    }

    @Test
    void shouldShareOneInMemoryRegistryPerMockScope() {
        SchemaRegistryClient first = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://" + SCOPE));
        SchemaRegistryClient second = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://" + SCOPE));

        assertThat(first).isSameAs(second).isSameAs(SchemaRegistryClients.mockScope(SCOPE));
        SchemaRegistryClients.dropMockScope(SCOPE);
        assertThat(SchemaRegistryClients.mockScope(SCOPE)).isNotSameAs(first);
    }

    @Test
    void shouldCreateRestClientWithCredentialsAndIgnoreUnrelatedKeys() {
        try (SchemaRegistryClient client = SchemaRegistryClients.create(Map.of(
                "schema.registry.url", "http://a:8081,http://b:8081",
                "basic.auth.user.info", "alice:secret",
                "schema.registry.request.timeout.ms", 1000,
                "bootstrap.servers", "localhost:9092"))) {
            assertThat(client).isInstanceOf(RestSchemaRegistryClient.class)
                    .hasToString("RestSchemaRegistryClient[http://a:8081, http://b:8081] (basic auth)");
        }
    }

    @Test
    void shouldRequireTheRegistryUrl() {
        assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of("bootstrap.servers", "localhost:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldRejectMockScopeMixedWithRealUrls() {
        assertThatThrownBy(() -> SchemaRegistryClients.create(
                Map.of("schema.registry.url", "mock://" + SCOPE + ",http://localhost:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must stand alone");
    }

    @Test
    void shouldRejectCredentialsInTheUrlWithoutEchoingThem() {
        assertThatThrownBy(() -> SchemaRegistryClients.create(
                Map.of("schema.registry.url", "http://alice:hunter2@localhost:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldRejectMalformedUserInfoWithoutEchoingIt() {
        assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of(
                "schema.registry.url", "http://localhost:8081", "basic.auth.user.info", "hunter2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("user:secret")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldRejectUnsupportedCredentialsSource() {
        assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of(
                "schema.registry.url", "http://localhost:8081", "basic.auth.credentials.source", "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("USER_INFO");
    }
}
