package io.rollstream.featurestore.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.routing.FeatureRouter;
import io.rollstream.featurestore.routing.InMemoryReplicas;
import io.rollstream.featurestore.routing.PeerClient;
import io.rollstream.featurestore.routing.ServingSettings;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.rollstream.featurestore.routing.InMemoryReplicas.owners;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP contract through real sockets: two instances, "front" and "owner", each with its own
 * server and router over in-memory stores, forwarding to each other with the real {@link PeerClient}.
 */
class FeaturesHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServedEntity USER = ServedEntity.of(UserActivityFeatures.featureSet(), "store");
    private static final Instant FRONT_NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant OWNER_NOW = FRONT_NOW.plusSeconds(30);
    private static final long EVENT_TIME = FRONT_NOW.minusSeconds(60).toEpochMilli();
    private static final int MAX_IDS = 5;

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final InMemoryReplicas frontReplicas = new InMemoryReplicas();
    private final InMemoryReplicas ownerReplicas = new InMemoryReplicas();
    private URI front;
    private URI owner;
    private HostInfo frontHost;
    private HostInfo ownerHost;
    private HostInfo deadHost;

    @BeforeEach
    void startTwoInstances() throws IOException {
        final FeatureHttpServer frontServer = FeatureHttpServer.bind("127.0.0.1", 0);
        final FeatureHttpServer ownerServer = FeatureHttpServer.bind("127.0.0.1", 0);
        frontHost = new HostInfo("127.0.0.1", frontServer.port());
        ownerHost = new HostInfo("127.0.0.1", ownerServer.port());
        try (ServerSocket socket = new ServerSocket(0)) {
            deadHost = new HostInfo("127.0.0.1", socket.getLocalPort());
        }
        start(frontServer, frontHost, frontReplicas, FRONT_NOW);
        start(ownerServer, ownerHost, ownerReplicas, OWNER_NOW);
        front = frontServer.uri();
        owner = ownerServer.uri();

        for (final InMemoryReplicas replicas : List.of(frontReplicas, ownerReplicas)) {
            replicas.owners.put("local-1", owners(frontHost));
            replicas.owners.put("remote-1", owners(ownerHost));
            replicas.owners.put("remote-2", owners(ownerHost));
            replicas.owners.put("orphan", owners(deadHost));
        }
        frontReplicas.putClicks(USER.engine(), "local-1", 1, EVENT_TIME);
        ownerReplicas.putClicks(USER.engine(), "remote-1", 2, EVENT_TIME);
        ownerReplicas.putClicks(USER.engine(), "remote-2", 3, EVENT_TIME);
    }

    private void start(final FeatureHttpServer server, final HostInfo self, final InMemoryReplicas replicas,
                       final Instant now) {
        final PeerClient peers = new PeerClient(Duration.ofMillis(500));
        final FeatureRouter router = new FeatureRouter(self,
                new ServingSettings(100, Duration.ofMillis(1_000), Duration.ofMillis(500), MAX_IDS), replicas, peers);
        server.start(ReadyBackend.of(USER, router), Clock.fixed(now, ZoneOffset.UTC));
        closeables.add(server);
        closeables.add(router);
        closeables.add(peers);
    }

    @AfterEach
    void stop() throws Exception {
        for (final AutoCloseable closeable : closeables) {
            closeable.close();
        }
        client.close();
    }

    @Test
    void shouldAnswerASingleReadWithItsFreshnessAndEveryFeature() throws Exception {
        final Answer answer = get(front, "/v1/features/user/local-1");

        assertThat(answer.status()).isEqualTo(200);
        final JsonNode body = answer.body();
        assertThat(fieldNames(body)).containsExactly("entity", "id", "as_of", "found", "stale", "served_by",
                "newest_event_time", "lag_records", "features");
        assertThat(body.path("entity").asText()).isEqualTo("user");
        assertThat(body.path("id").asText()).isEqualTo("local-1");
        assertThat(body.path("as_of").asText()).isEqualTo(FRONT_NOW.toString());
        assertThat(body.path("found").asBoolean()).isTrue();
        assertThat(body.path("stale").asBoolean()).isFalse();
        assertThat(body.path("served_by").asText()).isEqualTo("127.0.0.1:" + frontHost.port());
        assertThat(body.path("newest_event_time").asText()).isEqualTo(Instant.ofEpochMilli(EVENT_TIME).toString());
        assertThat(body.path("lag_records").asLong()).isZero();
        assertThat(fieldNames(body.path("features"))).hasSize(15).endsWith("last_event_time");
        assertThat(body.path("features").path("click_count_1h").asLong()).isEqualTo(1);
        assertThat(body.path("features").path("last_event_time").asLong()).isEqualTo(EVENT_TIME);
    }

    @Test
    void shouldAnswerAnUnseenIdAsNotFoundWithZerosAndNullTimes() throws Exception {
        frontReplicas.owners.put("nobody", owners(frontHost));

        final JsonNode body = get(front, "/v1/features/user/nobody").body();

        assertThat(body.path("found").asBoolean()).isFalse();
        assertThat(body.path("newest_event_time").isNull()).isTrue();
        assertThat(body.path("features").path("click_count_24h").asLong()).isZero();
        assertThat(body.path("features").path("last_event_time").isNull()).isTrue();
    }

    @Test
    void shouldAnswerOnlyTheFeaturesAskedForInTheOrderAsked() throws Exception {
        final JsonNode body = get(front, "/v1/features/user/local-1?features=last_event_time,click_count_1h").body();

        assertThat(fieldNames(body.path("features"))).containsExactly("last_event_time", "click_count_1h");
    }

    @Test
    void shouldAnswer400NamingAnUnknownFeatureAndListingTheValidOnes() throws Exception {
        final Answer answer = get(front, "/v1/features/user/local-1?features=click_count_1h,clicks_1y");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("status").asInt()).isEqualTo(400);
        assertThat(answer.body().path("error").asText()).contains("unknown feature 'clicks_1y'")
                .contains("page_view_count_1h").contains("last_event_time");
    }

    @Test
    void shouldForwardAReadToTheOwnerAndAnswerAtTheInstantItWasAsked() throws Exception {
        final JsonNode viaFront = get(front, "/v1/features/user/remote-1?features=click_count_1h").body();
        final JsonNode direct = get(owner, "/v1/features/user/remote-1?features=click_count_1h").body();

        assertThat(viaFront.path("served_by").asText()).isEqualTo("127.0.0.1:" + ownerHost.port());
        assertThat(viaFront.path("as_of").asText()).isEqualTo(FRONT_NOW.toString());
        assertThat(fieldNames(viaFront)).containsExactly("entity", "id", "as_of", "found", "stale", "served_by",
                "newest_event_time", "lag_records", "features");
        assertThat(withoutAsOf(viaFront)).isEqualTo(withoutAsOf(direct));
    }

    @Test
    void shouldAnswerABatchInTheCallersOrderWithTheResultsOfSingleReads() throws Exception {
        final List<String> ids = List.of("remote-2", "local-1", "remote-1", "remote-2");
        final Answer batch = post(front, "/v1/features/user:batch", "{\"ids\":" + JSON.writeValueAsString(ids) + "}");

        assertThat(batch.status()).isEqualTo(200);
        assertThat(fieldNames(batch.body())).containsExactly("entity", "as_of", "results");
        assertThat(batch.body().path("as_of").asText()).isEqualTo(FRONT_NOW.toString());
        final JsonNode results = batch.body().path("results");
        assertThat(results).hasSize(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            final JsonNode single = get(front, "/v1/features/user/" + ids.get(i)).body();
            final ObjectNode expected = withoutAsOf(single);
            expected.remove("entity");
            assertThat(results.get(i)).as(ids.get(i)).isEqualTo(expected);
        }
    }

    @Test
    void shouldNameTheFeaturesOfABatchInItsBody() throws Exception {
        final Answer batch = post(front, "/v1/features/user:batch",
                "{\"ids\":[\"remote-1\",\"local-1\"],\"features\":[\"click_count_24h\"]}");

        for (final JsonNode result : batch.body().path("results")) {
            assertThat(fieldNames(result.path("features"))).containsExactly("click_count_24h");
        }
        assertThat(batch.body().path("results").get(0).path("features").path("click_count_24h").asLong()).isEqualTo(2);
    }

    @Test
    void shouldNotForwardARequestThatWasForwardedAlready() throws Exception {
        final int ownerLocatesBefore = ownerReplicas.locates.get();
        final HttpResponse<String> answer = client.send(HttpRequest.newBuilder(front.resolve("/v1/features/user/remote-1"))
                .header(PeerClient.FORWARDED_HEADER, "true").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("1");
        assertThat(answer.body()).contains("forwarded requests are answered here or not at all");
        assertThat(ownerReplicas.locates.get()).isEqualTo(ownerLocatesBefore);
    }

    @Test
    void shouldAnswer503WithRetryAfterWithinTheDeadlineWhenTheOwnerIsDownAndNoCopyIsLeft() throws Exception {
        final long start = System.nanoTime();
        final HttpResponse<String> answer = client.send(HttpRequest.newBuilder(front.resolve("/v1/features/user/orphan"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("1");
        assertThat(answer.body()).contains("within 1000 ms").contains("unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_000));
    }

    @Test
    void shouldAnswerBadRequestsWithA4xxThatSaysWhatToDo() throws Exception {
        assertError(get(front, "/v1/features/planet/earth"), 404, "unknown entity 'planet'; known entities: [user]");
        assertError(post(front, "/v1/features/planet:batch", "{\"ids\":[\"a\"]}"), 404, "unknown entity 'planet'");
        assertError(get(front, "/v1/features/user/a%01b"), 400, "control character");
        assertError(get(front, "/v1/features/user/" + "x".repeat(300)), 400, "at most 256");
        assertError(get(front, "/v1/features/user"), 404, "POST /v1/features/{entity}:batch");
        assertError(post(front, "/v1/features/user:batch", "not json"), 400, "not valid JSON");
        assertError(post(front, "/v1/features/user:batch", "{\"ids\":[]}"), 400, "\"ids\" is empty");
        assertError(post(front, "/v1/features/user:batch", "{\"ids\":[\"ok\",\"\"]}"), 400, "ids[1]: entity id is empty");
        assertError(post(front, "/v1/features/user:batch", "{\"ids\":[\"a\"],\"features\":[\"nope\"]}"), 400,
                "unknown feature 'nope'");
        assertError(post(front, "/v1/features/user:batch", "{\"ids\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}"), 413,
                "a batch of 6 ids is over the limit of 5 ids");
        assertError(post(front, "/v1/features/user:batch?features=a", "{\"ids\":[\"a\"]}"), 400, "no query parameters");

        final Answer getBatch = get(front, "/v1/features/user:batch");
        assertError(getBatch, 405, "GET is not supported");
        assertThat(getBatch.raw().headers().firstValue("Allow")).contains("POST");
        final Answer postSingle = post(front, "/v1/features/user/local-1", "{}");
        assertError(postSingle, 405, "use GET");
        assertThat(postSingle.raw().headers().firstValue("Allow")).contains("GET, HEAD");
    }

    private static void assertError(final Answer answer, final int status, final String message) {
        assertThat(answer.status()).as(answer.raw().uri().toString()).isEqualTo(status);
        assertThat(answer.body().path("status").asInt()).isEqualTo(status);
        assertThat(answer.body().path("error").asText()).contains(message);
    }

    private static ObjectNode withoutAsOf(final JsonNode answer) {
        final ObjectNode copy = answer.deepCopy();
        copy.remove("as_of");
        return copy;
    }

    private static List<String> fieldNames(final JsonNode node) {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private Answer get(final URI base, final String path) throws Exception {
        return answer(client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private Answer post(final URI base, final String path, final String body) throws Exception {
        return answer(client.send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer answer(final HttpResponse<String> response) throws IOException {
        return new Answer(response.statusCode(), JSON.readTree(response.body()), response);
    }
}
