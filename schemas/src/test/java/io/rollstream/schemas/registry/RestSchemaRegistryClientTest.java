package io.rollstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.schemas.ClickEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema CLICK = ClickEvent.getClassSchema();
    private static final String SUBJECT = "clickstream.events-value";

    private FakeRegistryServer server;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server = FakeRegistryServer.start();
        client = RestSchemaRegistryClient.builder(server.url()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void shouldRegisterWithConfluentContentTypeAndSchemaBody() throws IOException {
        server.answer("POST", "/subjects/" + SUBJECT + "/versions", 200, "{\"id\":7}");

        assertThat(client.register(SUBJECT, CLICK)).isEqualTo(7);

        FakeRegistryServer.Request request = server.requests().getFirst();
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.accept()).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(new Schema.Parser().parse(JSON.readTree(request.body()).get("schema").asText())).isEqualTo(CLICK);
        assertThat(request.authorization()).isNull();
    }

    @Test
    void shouldAskTheRegistryOncePerSubjectAndSchema() {
        server.answer("POST", "/subjects/" + SUBJECT + "/versions", 200, "{\"id\":7}");
        server.answer("POST", "/subjects/other-value/versions", 200, "{\"id\":7}");

        client.register(SUBJECT, CLICK);
        client.register(SUBJECT, CLICK);
        client.register("other-value", CLICK);
        Schema byId = client.schemaById(7);

        assertThat(server.requests()).extracting(FakeRegistryServer.Request::pathAndQuery)
                .containsExactly("/subjects/" + SUBJECT + "/versions", "/subjects/other-value/versions");
        assertThat(byId).isEqualTo(CLICK);
    }

    @Test
    void shouldFetchSchemaByIdOnceAndServeItFromCacheAfterwards() {
        server.answer("GET", "/schemas/ids/3", 200, schemaJson(CLICK));

        Schema first = client.schemaById(3);
        Schema second = client.schemaById(3);

        assertThat(first).isEqualTo(CLICK);
        assertThat(second).isSameAs(first);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldReadTheLatestVersionEveryTime() {
        server.answer("GET", "/subjects/" + SUBJECT + "/versions/latest", 200,
                "{\"subject\":\"" + SUBJECT + "\",\"version\":2,\"id\":5,\"schema\":" + quoted(CLICK) + "}");

        RegisteredSchema latest = client.latest(SUBJECT);
        client.latest(SUBJECT);

        assertThat(latest).isEqualTo(new RegisteredSchema(SUBJECT, 5, 2, CLICK));
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void shouldLookUpSchemaUnderSubjectOnce() {
        server.answer("POST", "/subjects/" + SUBJECT, 200,
                "{\"subject\":\"" + SUBJECT + "\",\"version\":1,\"id\":4,\"schema\":" + quoted(CLICK) + "}");

        RegisteredSchema found = client.lookup(SUBJECT, CLICK);
        client.lookup(SUBJECT, CLICK);
        client.register(SUBJECT, CLICK);

        assertThat(found).isEqualTo(new RegisteredSchema(SUBJECT, 4, 1, CLICK));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldReportWhatTheCompatibilityCheckSays() {
        server.answer("POST", "/compatibility/subjects/" + SUBJECT + "/versions/latest", 200,
                "{\"is_compatible\":false}");

        assertThat(client.isCompatible(SUBJECT, CLICK)).isFalse();
    }

    @Test
    void shouldTreatSchemaAsCompatibleWithSubjectThatHasNoVersions() {
        server.answer("POST", "/compatibility/subjects/" + SUBJECT + "/versions/latest", 404,
                "{\"error_code\":40401,\"message\":\"Subject 'clickstream.events-value' not found.\"}");

        assertThat(client.isCompatible(SUBJECT, CLICK)).isTrue();
    }

    @Test
    void shouldAskForSubjectCompatibilityDefaultingToGlobal() {
        server.answer("GET", "/config/" + SUBJECT + "?defaultToGlobal=true", 200, "{\"compatibilityLevel\":\"FULL\"}");

        assertThat(client.compatibility(SUBJECT)).isEqualTo(CompatibilityLevel.FULL);
    }

    @Test
    void shouldFallBackToGlobalCompatibilityWhenTheSubjectIsUnknown() {
        // Apicurio answers 40401 for a subject without versions even with defaultToGlobal=true.
        server.answer("GET", "/config/" + SUBJECT + "?defaultToGlobal=true", 404,
                "{\"message\":\"Subject 'clickstream.events-value' not found.\",\"error_code\":40401}");
        server.answer("GET", "/config", 200, "{\"compatibilityLevel\":\"BACKWARD_TRANSITIVE\"}");

        assertThat(client.compatibility(SUBJECT)).isEqualTo(CompatibilityLevel.BACKWARD_TRANSITIVE);
        assertThat(client.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD_TRANSITIVE);
    }

    @Test
    void shouldSetSubjectAndGlobalCompatibility() throws IOException {
        server.answer("PUT", "/config/" + SUBJECT, 200, "{\"compatibility\":\"FULL\"}");
        server.answer("PUT", "/config", 200, "{\"compatibility\":\"NONE\"}");

        client.setCompatibility(SUBJECT, CompatibilityLevel.FULL);
        client.setCompatibility(null, CompatibilityLevel.NONE);

        List<FakeRegistryServer.Request> requests = server.requests();
        assertThat(JSON.readTree(requests.get(0).body()).get("compatibility").asText()).isEqualTo("FULL");
        assertThat(requests.get(1).pathAndQuery()).isEqualTo("/config");
        assertThat(JSON.readTree(requests.get(1).body()).get("compatibility").asText()).isEqualTo("NONE");
    }

    @Test
    void shouldListSubjects() {
        server.answer("GET", "/subjects", 200, "[\"a-value\",\"b-key\"]");

        assertThat(client.subjects()).containsExactly("a-value", "b-key");
    }

    @Test
    void shouldEncodeSubjectAsOnePathSegment() {
        server.answer("GET", "/subjects/odd%20name%2Fx-value/versions/latest", 200,
                "{\"version\":1,\"id\":1,\"schema\":" + quoted(CLICK) + "}");

        assertThat(client.latest("odd name/x-value").subject()).isEqualTo("odd name/x-value");
    }

    @Test
    void shouldSendBasicAuthCredentials() {
        server.answer("GET", "/subjects", 200, "[]");
        try (RestSchemaRegistryClient authenticated =
                RestSchemaRegistryClient.builder(server.url() + "/").basicAuth("alice:s3cr:et").build()) {
            authenticated.subjects();
        }

        assertThat(server.requests().getFirst().authorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("alice:s3cr:et".getBytes(StandardCharsets.UTF_8)));
        assertThat(server.requests().getFirst().pathAndQuery()).isEqualTo("/subjects");
    }

    @Test
    void shouldMapSubjectNotFound() {
        server.answer("GET", "/subjects/" + SUBJECT + "/versions/latest", 404,
                "{\"error_code\":40401,\"message\":\"Subject 'clickstream.events-value' not found.\"}");

        assertThatThrownBy(() -> client.latest(SUBJECT))
                .isInstanceOfSatisfying(SubjectNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40401);
                })
                .hasMessageContaining("latest version of subject '" + SUBJECT + "'")
                .hasMessageContaining("GET " + server.url() + "/subjects/" + SUBJECT + "/versions/latest")
                .hasMessageContaining("HTTP 404, error_code 40401: Subject 'clickstream.events-value' not found.")
                .hasMessageContaining("register the schema first");
    }

    @Test
    void shouldMapVersionNotFound() {
        server.answer("GET", "/subjects/" + SUBJECT + "/versions/latest", 404,
                "{\"error_code\":40402,\"message\":\"Version not found.\"}");

        assertThatThrownBy(() -> client.latest(SUBJECT)).isInstanceOf(VersionNotFoundException.class)
                .hasMessageContaining("error_code 40402");
    }

    @Test
    void shouldMapUnknownSchemaIdToSchemaNotFoundWithDeadLetterAdvice() {
        server.answer("GET", "/schemas/ids/99", 404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}");

        assertThatThrownBy(() -> client.schemaById(99))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                })
                .hasMessageContaining("schema id 99")
                .hasMessageContaining("Schema 99 not found")
                .hasMessageContaining("dead-letter");
    }

    @Test
    void shouldMapUnregisteredLookupToSchemaNotFoundWithRegistrationAdvice() {
        server.answer("POST", "/subjects/" + SUBJECT, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");

        assertThatThrownBy(() -> client.lookup(SUBJECT, CLICK)).isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("auto.register.schemas");
    }

    @Test
    void shouldMapConfluentIncompatibleAnswer() {
        server.answer("POST", "/subjects/" + SUBJECT + "/versions", 409,
                "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}");

        assertThatThrownBy(() -> client.register(SUBJECT, CLICK))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageContaining("Registering schema io.rollstream.schemas.ClickEvent under subject '" + SUBJECT)
                .hasMessageContaining("incompatible with an earlier schema")
                .hasMessageContaining("give a new field a default");
    }

    @Test
    void shouldMapIncompatibleAnswerWithAlternativeCodeAndDropJavaClassPrefix() {
        server.answer("POST", "/subjects/" + SUBJECT + "/versions", 409, "{\"message\":\"io.apicurio.registry.rules"
                + ".violation.RuleViolationException: Incompatible artifact: x\",\"error_code\":40901}");

        assertThatThrownBy(() -> client.register(SUBJECT, CLICK))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40901))
                .hasMessageContaining("error_code 40901: Incompatible artifact: x")
                .hasMessageNotContaining("RuleViolationException");
    }

    @Test
    void shouldMapInvalidSchema() {
        server.answer("POST", "/subjects/" + SUBJECT + "/versions", 422,
                "{\"error_code\":42201,\"message\":\"Invalid schema\"}");

        assertThatThrownBy(() -> client.register(SUBJECT, CLICK))
                .isInstanceOfSatisfying(InvalidSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42201);
                });
    }

    @Test
    void shouldMapServerErrorToRetriableUnavailable() {
        server.answer("GET", "/schemas/ids/1", 500,
                "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}");

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.errorCode()).isEqualTo(50001);
                })
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Error in the backend data store")
                .hasMessageContaining("retriable");
    }

    @Test
    void shouldQuoteNonJsonErrorBodyShortened() {
        String html = "<html><body>" + "Bad gateway ".repeat(100) + "</body></html>";
        server.answer("GET", "/schemas/ids/1", 502, html);

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(502);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.NO_ERROR_CODE);
                    assertThat(e.getMessage()).hasSizeLessThan(html.length());
                })
                .hasMessageContaining("HTTP 502: '<html><body>Bad gateway");
    }

    @Test
    void shouldMapNonJsonClientErrorToPlainRegistryException() {
        server.answer("POST", "/subjects/" + SUBJECT + "/versions", 400, "Not able to deserialize data provided.");

        assertThatThrownBy(() -> client.register(SUBJECT, CLICK))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 400: 'Not able to deserialize data provided.'");
    }

    @Test
    void shouldPointAtCredentialsWhenRefused() {
        server.answer("GET", "/subjects", 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");

        assertThatThrownBy(() -> client.subjects()).isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void shouldPointAtBaseUrlWhenEndpointDoesNotExist() {
        // What Apicurio answers when the URL lacks /apis/ccompat/v7.
        server.answer("GET", "/subjects", 404, "{\"detail\":\"NotFoundException: RESTEASY003210: Could not find "
                + "resource for full path\",\"title\":\"RESTEASY003210: Could not find resource\",\"status\":404}");

        assertThatThrownBy(() -> client.subjects()).isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("RESTEASY003210")
                .hasMessageContaining("/apis/ccompat/v7");
    }

    @Test
    void shouldRejectSuccessAnswerThatIsNotJson() {
        server.answer("GET", "/schemas/ids/1", 200, "<html>login page</html>");

        assertThatThrownBy(() -> client.schemaById(1)).isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("not JSON")
                .hasMessageContaining("<html>login page</html>");
    }

    @Test
    void shouldReportRefusedConnectionAsUnavailable() throws IOException {
        String closedUrl = "http://127.0.0.1:" + closedPort();
        try (RestSchemaRegistryClient unreachable = RestSchemaRegistryClient.builder(closedUrl).build()) {
            assertThatThrownBy(() -> unreachable.schemaById(1))
                    .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_HTTP_STATUS);
                        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.NO_ERROR_CODE);
                    })
                    .hasMessageContaining("GET " + closedUrl + "/schemas/ids/1")
                    .hasMessageContaining("ConnectException")
                    .hasMessageContaining("retriable");
        }
    }

    @Test
    void shouldReportSlowRegistryAsUnavailable() {
        server.answerAfter(Duration.ofSeconds(3), "GET", "/schemas/ids/1", 200, schemaJson(CLICK));
        try (RestSchemaRegistryClient impatient = RestSchemaRegistryClient.builder(server.url())
                .requestTimeout(Duration.ofMillis(200)).build()) {
            assertThatThrownBy(() -> impatient.schemaById(1))
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("HttpTimeoutException");
        }
    }

    @Test
    void shouldMoveOnToTheNextUrlWhenOneDoesNotAnswer() throws IOException {
        server.answer("GET", "/schemas/ids/1", 200, schemaJson(CLICK));
        server.answer("GET", "/schemas/ids/2", 200, schemaJson(CLICK));
        try (RestSchemaRegistryClient failingOver = RestSchemaRegistryClient
                .builder(List.of("http://127.0.0.1:" + closedPort(), server.url())).build()) {
            assertThat(failingOver.schemaById(1)).isEqualTo(CLICK);
            assertThat(failingOver.schemaById(2)).isEqualTo(CLICK);
        }
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void shouldRejectNonAvroSchemas() {
        server.answer("GET", "/schemas/ids/1", 200,
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");

        assertThatThrownBy(() -> client.schemaById(1)).isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("PROTOBUF schema; Rollstream reads only Avro");
    }

    @Test
    void shouldRejectUnusableBaseUrls() {
        assertThatThrownBy(() -> RestSchemaRegistryClient.builder("http://bob:hunter2@registry:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("basic.auth.user.info")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> RestSchemaRegistryClient.builder("localhost:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> RestSchemaRegistryClient.builder(server.url()).basicAuth("no-colon-secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("no-colon-secret");
    }

    private static String schemaJson(Schema schema) {
        return "{\"schema\":" + quoted(schema) + "}";
    }

    private static String quoted(Schema schema) {
        return JSON.getNodeFactory().textNode(schema.toString()).toString();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
