package io.rollstream.devstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ApicurioRegistryTest {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String CLICK_V1 = """
            {"type":"record","name":"Click","namespace":"io.rollstream.test","fields":[
              {"name":"userId","type":"string"},
              {"name":"ts","type":"long"}]}""";
    // Adds a field without a default: readers of v2 cannot read v1 data, so BACKWARD must refuse it.
    private static final String CLICK_V2_INCOMPATIBLE = """
            {"type":"record","name":"Click","namespace":"io.rollstream.test","fields":[
              {"name":"userId","type":"string"},
              {"name":"ts","type":"long"},
              {"name":"itemId","type":"string"}]}""";
    private static final String CLICK_V2_COMPATIBLE = """
            {"type":"record","name":"Click","namespace":"io.rollstream.test","fields":[
              {"name":"userId","type":"string"},
              {"name":"ts","type":"long"},
              {"name":"itemId","type":["null","string"],"default":null}]}""";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private static ApicurioRegistry registry;
    private static HttpClient http;

    @BeforeAll
    static void startRegistry() {
        registry = ApicurioRegistry.start();
        http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    }

    @AfterAll
    static void stopRegistry() {
        http.close();
        registry.close();
    }

    @Test
    void shouldServeConfluentApiOnLoopbackOnly() throws Exception {
        assertThat(registry.confluentApiUrl()).isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
        Loopback.assertUnreachableFromOtherInterfaces(registry.port());
    }

    @Test
    void shouldRegisterAvroSchemaAndReadItBackById() throws Exception {
        final HttpResponse<String> registered = register("clicks-readback-value", CLICK_V1);
        assertThat(registered.statusCode()).isEqualTo(200);

        final HttpResponse<String> byId = get("/schemas/ids/" + id(registered));
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(byId.body()).contains("\\\"name\\\":\\\"Click\\\"").contains("userId").contains("ts");
    }

    @Test
    void shouldReturnSameIdWhenSameSchemaIsRegisteredAgain() throws Exception {
        final int first = id(register("clicks-again-value", CLICK_V1));
        assertThat(id(register("clicks-again-value", CLICK_V1))).isEqualTo(first);
        assertThat(get("/subjects/clicks-again-value/versions").body()).isEqualTo("[1]");
    }

    @Test
    void shouldReportGlobalCompatibilityBackward() throws Exception {
        final HttpResponse<String> config = get("/config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("\"compatibilityLevel\":\"BACKWARD\"");
    }

    @Test
    void shouldRejectSchemaThatBreaksBackwardCompatibility() throws Exception {
        assertThat(register("clicks-evolution-value", CLICK_V1).statusCode()).isEqualTo(200);

        final HttpResponse<String> incompatible = register("clicks-evolution-value", CLICK_V2_INCOMPATIBLE);
        assertThat(incompatible.statusCode()).isEqualTo(409);
        assertThat(register("clicks-evolution-value", CLICK_V2_COMPATIBLE).statusCode()).isEqualTo(200);
        assertThat(get("/subjects/clicks-evolution-value/versions").body()).isEqualTo("[1,2]");
    }

    @Test
    void shouldStopRegistryProcessAndForgetItOnClose() throws Exception {
        final ApicurioRegistry own = ApicurioRegistry.start();
        final long pid = own.pid();
        final Path pidFile = CacheDirectory.root().resolve("run").resolve("apicurio-registry-" + pid + ".pid");
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());
        assertThat(pidFile).exists();

        own.close();
        own.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(pidFile).doesNotExist();
    }

    private static HttpResponse<String> register(final String subject, final String avroSchema) throws IOException, InterruptedException {
        final String body = "{\"schema\":" + jsonString(avroSchema) + "}";
        return http.send(HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + path))
                .header("Accept", CONTENT_TYPE)
                .GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int id(final HttpResponse<String> response) {
        final Matcher matcher = ID.matcher(response.body());
        assertThat(matcher.find()).as("an id in %s", response.body()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static String jsonString(final String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
