package io.rollstream.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP side over a real socket: status codes, headers and limits, with a stand-in for Kafka. */
class CollectorServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private CollectorServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldAcceptEventsOnAFreePortAndAnswerHealth() throws Exception {
        server = CollectorServer.start(settings().build(), event -> CompletableFuture.completedFuture(null));
        assertThat(server.port()).isPositive();

        final HttpResponse<String> accepted = post("application/json", event().getBytes(StandardCharsets.UTF_8));
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(accepted).path("accepted").asInt()).isEqualTo(1);

        final HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerWrongMethodsPathsAndMediaTypesWithTheRightStatus() throws Exception {
        server = CollectorServer.start(settings().build(), event -> CompletableFuture.completedFuture(null));

        final HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.uri().resolve(EventsHandler.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");

        final HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/event"))
                .POST(HttpRequest.BodyPublishers.ofString(event())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(json(elsewhere).path("error").asText()).contains("POST /v1/events");

        final HttpResponse<String> form = post("application/x-www-form-urlencoded", event().getBytes(StandardCharsets.UTF_8));
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(json(form).path("status").asInt()).isEqualTo(415);
    }

    @Test
    void shouldRefuseAnOversizedBodyWith413AndNonUtf8With400() throws Exception {
        server = CollectorServer.start(settings().maxBodyBytes(4096).build(),
                event -> CompletableFuture.completedFuture(null));

        final HttpResponse<String> large = post("application/json", ("[" + (event() + ",").repeat(100) + event() + "]")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(json(large).path("limit_bytes").asInt()).isEqualTo(4096);

        final HttpResponse<String> latin1 = post("application/json",
                event().replace("u-1", "Zürich").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(latin1.statusCode()).isEqualTo(400);
        assertThat(json(latin1).path("error").asText()).contains("not valid UTF-8");
    }

    @Test
    void shouldAnswer503WithRetryAfterBeyondTheConcurrencyLimit() throws Exception {
        final CountDownLatch firstArrived = new CountDownLatch(1);
        final CompletableFuture<Void> kafka = new CompletableFuture<>();
        server = CollectorServer.start(settings().maxConcurrentRequests(1).build(), event -> {
            firstArrived.countDown();
            return kafka;
        });
        final CompletableFuture<HttpResponse<String>> first = http.sendAsync(request("application/json",
                event().getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString());
        assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();

        final HttpResponse<String> second = post("application/json", event().getBytes(StandardCharsets.UTF_8));
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Retry-After")).contains("2");

        kafka.complete(null);
        // Answered only once "Kafka" acknowledged.
        assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    private static CollectorSettings.Builder settings() {
        return CollectorSettings.builder().bootstrapServers("unused:9092").registryUrl("http://unused:8081").httpPort(0);
    }

    private static String event() {
        return "{\"event_type\":\"CLICK\",\"user_id\":\"u-1\",\"event_time\":\"" + Instant.now() + "\"}";
    }

    private HttpRequest request(final String contentType, final byte[] body) {
        return HttpRequest.newBuilder(server.uri().resolve(EventsHandler.PATH)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private HttpResponse<String> post(final String contentType, final byte[] body) throws Exception {
        return http.send(request(contentType, body), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(final HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

}
