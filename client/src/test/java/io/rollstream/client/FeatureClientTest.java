package io.rollstream.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.client.CannedFeatureServer.Answer;
import io.rollstream.client.CannedFeatureServer.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (final AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    private CannedFeatureServer server(final CannedFeatureServer.Responder responder) {
        final CannedFeatureServer server = CannedFeatureServer.start(responder);
        resources.add(server);
        return server;
    }

    private CannedFeatureServer contractServer() {
        return server(CannedFeatureServer::contractAnswer);
    }

    private FeatureClient client(final FeatureClient.Builder builder) {
        final FeatureClient client = builder.build();
        resources.add(client);
        return client;
    }

    private FeatureClient client(final String... baseUrls) {
        return client(FeatureClient.builder().baseUrls(List.of(baseUrls)));
    }

    @Nested
    class SingleGet {

        @Test
        void shouldReadOneVectorWithItsFreshnessAndTypedFeatures() {
            final CannedFeatureServer server = contractServer();

            final FeatureVector vector = client(server.baseUrl()).get("user", "u1");

            assertThat(vector.entity()).isEqualTo("user");
            assertThat(vector.id()).isEqualTo("u1");
            assertThat(vector.asOf()).isEqualTo(Instant.parse("2026-11-21T05:27:54.810Z"));
            assertThat(vector.found()).isTrue();
            assertThat(vector.stale()).isFalse();
            assertThat(vector.servedBy()).isEqualTo("127.0.0.1:8080");
            assertThat(vector.newestEventTime()).contains(Instant.parse("2026-11-21T05:27:50Z"));
            assertThat(vector.lagRecords()).isZero();
            assertThat(vector.getLong("views_1h")).hasValue(3);
            assertThat(vector.getDouble("ctr_24h")).hasValue(0.25);
            assertThat(vector.getDouble("p90_viewed_price_7d")).hasValue(148.05);
            assertThat(vector.getString("last_search_query")).contains("red shoes");
            assertThat(vector.getStringList("last_viewed_items")).containsExactly("item-1", "item-2");
            assertThat(vector.getTopK("top_categories_7d")).containsExactly(new ItemCount("books", 4));
            assertThat(vector.getDouble("avg_price_1h")).isEmpty();
            assertThat(server.requests()).singleElement().satisfies(request -> {
                assertThat(request.method()).isEqualTo("GET");
                assertThat(request.rawPath()).isEqualTo("/v1/features/user/u1");
                assertThat(request.rawQuery()).isNull();
            });
        }

        @Test
        void shouldSendRequestedFeatureNamesAsOneCommaSeparatedParameter() {
            final CannedFeatureServer server = contractServer();

            client(server.baseUrl()).get("user", "u1", new LinkedHashSet<>(List.of("views_1h", "ctr_24h")));

            assertThat(server.requests()).singleElement()
                    .extracting(Request::rawQuery).isEqualTo("features=views_1h,ctr_24h");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiterString = " -> ", value = {
                "a|b -> a%7Cb",
                "a/b -> a%2Fb",
                "red shoes -> red%20shoes",
                "a+b -> a%2Bb",
                "50% -> 50%25",
                "a?b#c -> a%3Fb%23c",
                "üser-✓ -> %C3%BCser-%E2%9C%93",
                "user-000001_x.y~z -> user-000001_x.y~z"})
        void shouldSendIdAsOnePercentEncodedPathSegment(final String id, final String encoded) {
            final CannedFeatureServer server = contractServer();

            final FeatureVector vector = client(server.baseUrl()).get("user", id);

            assertThat(server.requests()).singleElement()
                    .extracting(Request::rawPath).isEqualTo("/v1/features/user/" + encoded);
            assertThat(vector.id()).isEqualTo(id);
        }

        @Test
        void shouldRefuseEmptyIdWithoutAskingTheServer() {
            final CannedFeatureServer server = contractServer();
            final FeatureClient client = client(server.baseUrl());

            assertThatThrownBy(() -> client.get("user", "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("id is empty");
            assertThat(server.requests()).isEmpty();
        }

        @Test
        void shouldRefuseEmptyFeatureSetRatherThanAskForAllFeatures() {
            final FeatureClient client = client(contractServer().baseUrl());

            assertThatThrownBy(() -> client.get("user", "u1", Set.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("overload without features");
        }

        @Test
        void shouldKeepThePathOfTheBaseUrl() {
            final CannedFeatureServer server = server(request -> CannedFeatureServer.contractAnswer(
                    new Request(request.method(), request.rawPath().substring("/rollstream".length()),
                            request.rawQuery(), request.body(), request.remotePort())));

            client(server.baseUrl() + "/rollstream/").get("user", "u1");

            assertThat(server.requests()).singleElement()
                    .extracting(Request::rawPath).isEqualTo("/rollstream/v1/features/user/u1");
        }

        @Test
        void shouldAcceptNullNewestEventTimeAsEmpty() {
            final CannedFeatureServer server = server(request -> Answer.ok("{\"entity\":\"user\",\"id\":\"new\","
                    + "\"as_of\":\"2026-11-21T05:27:54.810Z\",\"found\":false,\"stale\":true,\"served_by\":\"b:1\","
                    + "\"newest_event_time\":null,\"lag_records\":12,\"features\":{\"views_1h\":0}}"));

            final FeatureVector vector = client(server.baseUrl()).get("user", "new");

            assertThat(vector.found()).isFalse();
            assertThat(vector.stale()).isTrue();
            assertThat(vector.newestEventTime()).isEmpty();
            assertThat(vector.lagRecords()).isEqualTo(12);
        }

        @Test
        void shouldIgnoreFieldsItDoesNotKnow() {
            final CannedFeatureServer server = server(request -> Answer.ok("{\"entity\":\"user\",\"id\":\"u1\","
                    + "\"shard\":7,\"debug\":{\"hops\":[1,2],\"route\":null},"
                    + "\"as_of\":\"2026-11-21T05:27:54.810Z\",\"found\":true,\"stale\":false,\"served_by\":\"a:1\","
                    + "\"replica\":\"standby-2\",\"newest_event_time\":null,\"lag_records\":0,"
                    + "\"features\":{\"views_1h\":3},\"explain\":[\"x\"]}"));

            final FeatureVector vector = client(server.baseUrl()).get("user", "u1");

            assertThat(vector.raw()).containsOnlyKeys("views_1h");
            assertThat(vector.getLong("views_1h", -1)).isEqualTo(3);
        }
    }

    @Nested
    class Batch {

        @Test
        void shouldPostIdsAndFeatureNamesAndAnswerInTheCallersOrder() throws Exception {
            final CannedFeatureServer server = contractServer();
            final List<String> ids = List.of("u3", "u1", "u2");

            final List<FeatureVector> vectors = client(server.baseUrl()).getBatch("user", ids, Set.of("views_1h"));

            assertThat(vectors).extracting(FeatureVector::id).containsExactlyElementsOf(ids);
            assertThat(vectors).allSatisfy(vector -> {
                assertThat(vector.entity()).isEqualTo("user");
                assertThat(vector.asOf()).isEqualTo(Instant.parse("2026-11-21T05:27:54.810Z"));
            });
            final Request request = server.requests().getFirst();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.rawPath()).isEqualTo("/v1/features/user:batch");
            assertThat(JSON.readTree(request.body()))
                    .isEqualTo(JSON.readTree("{\"ids\":[\"u3\",\"u1\",\"u2\"],\"features\":[\"views_1h\"]}"));
        }

        @Test
        void shouldLeaveFeaturesOutOfTheBodyWhenNoneAreNamed() throws Exception {
            final CannedFeatureServer server = contractServer();

            client(server.baseUrl()).getBatch("user", List.of("u1"));

            final JsonNode body = JSON.readTree(server.requests().getFirst().body());
            assertThat(body.has("features")).isFalse();
            assertThat(body.get("ids").size()).isEqualTo(1);
        }

        @Test
        void shouldSplitMoreThan1000IdsIntoParallelRequestsAndMergeThemInOrder() {
            final CountDownLatch allPartsArrived = new CountDownLatch(3);
            final CannedFeatureServer server = server(request -> {
                allPartsArrived.countDown();
                // A client sending the parts one after another never gets here for the second part.
                if (!allPartsArrived.await(5, TimeUnit.SECONDS)) {
                    return Answer.error(500, "the parts of the batch were not sent in parallel");
                }
                return CannedFeatureServer.contractAnswer(request);
            });
            final List<String> ids = IntStream.range(0, 2500).mapToObj(i -> "user-" + (2500 - i)).toList();

            final List<FeatureVector> vectors = client(FeatureClient.builder().baseUrl(server.baseUrl())
                    .requestTimeout(Duration.ofSeconds(10))).getBatch("user", ids);

            assertThat(vectors).extracting(FeatureVector::id).containsExactlyElementsOf(ids);
            assertThat(server.requests()).extracting(request -> CannedFeatureServer.idsOf(request.body()).size())
                    .containsExactlyInAnyOrder(1000, 1000, 500);
        }

        @Test
        void shouldAnswerAnEmptyBatchWithoutAskingTheServer() {
            final CannedFeatureServer server = contractServer();

            assertThat(client(server.baseUrl()).getBatch("user", List.of())).isEmpty();
            assertThat(server.requests()).isEmpty();
        }

        @Test
        void shouldRefuseAnAnswerForOtherIdsThanAsked() {
            final CannedFeatureServer server = server(request -> Answer.ok(
                    "{\"entity\":\"user\",\"as_of\":\"2026-11-21T05:27:54.810Z\",\"results\":["
                            + CannedFeatureServer.idsOf(request.body()).reversed().stream()
                            .map(CannedFeatureServer::result).collect(Collectors.joining(",")) + "]}"));
            final FeatureClient client = client(server.baseUrl());

            assertThatThrownBy(() -> client.getBatch("user", List.of("u1", "u2")))
                    .isExactlyInstanceOf(FeatureClientException.class)
                    .hasMessageContaining(server.baseUrl() + "/v1/features/user:batch")
                    .hasMessageContaining("the id of result 0 is 'u2' but 'u1' was asked");
        }

        @Test
        void shouldRefuseANullIdNamingItsPosition() {
            final FeatureClient client = client(contractServer().baseUrl());
            final List<String> ids = new ArrayList<>(List.of("u1", "u2"));
            ids.add(null);

            assertThatThrownBy(() -> client.getBatch("user", ids)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ids[2] is null");
        }
    }

    @Nested
    class Refusals {

        @ParameterizedTest
        @ValueSource(ints = {400, 404, 413})
        void shouldTurnA4xxIntoBadRequestCarryingTheServersMessageWithoutRetrying(final int status) {
            final CannedFeatureServer server = server(request -> Answer.error(status, "what was wrong, status " + status));
            final FeatureClient client = client(server.baseUrl());

            assertThatThrownBy(() -> client.get("user", "u1"))
                    .isInstanceOfSatisfying(BadRequestException.class, e -> {
                        assertThat(e.status()).isEqualTo(status);
                        assertThat(e.serverMessage()).isEqualTo("what was wrong, status " + status);
                    })
                    .hasMessageContaining("GET " + server.baseUrl() + "/v1/features/user/u1")
                    .hasMessageContaining("user 'u1'")
                    .hasMessageContaining("refused with " + status + ": what was wrong, status " + status)
                    .hasMessageContaining("fix the request");
            assertThat(server.requests()).hasSize(1);
        }

        @Test
        void shouldTurnAnOversizedBatchRefusalIntoBadRequest() {
            final CannedFeatureServer server = server(request -> Answer.error(413, "1001 ids; at most 1000"));
            final FeatureClient client = client(server.baseUrl());

            assertThatThrownBy(() -> client.getBatch("user", List.of("u1")))
                    .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(413))
                    .hasMessageContaining("POST " + server.baseUrl() + "/v1/features/user:batch")
                    .hasMessageContaining("1001 ids; at most 1000");
        }

        @Test
        void shouldFailWithoutRetryingWhenTheServerErrs() {
            final CannedFeatureServer server = server(request -> Answer.error(500, "internal error reading features"));
            final FeatureClient client = client(server.baseUrl());

            assertThatThrownBy(() -> client.get("user", "u1"))
                    .isExactlyInstanceOf(FeatureClientException.class)
                    .hasMessageContaining("failed with 500: internal error reading features");
            assertThat(server.requests()).hasSize(1);
        }

        @Test
        void shouldReportAnUnreadableAnswerNamingTheUrl() {
            final CannedFeatureServer server = server(request -> Answer.ok("<html>hello</html>"));
            final FeatureClient client = client(server.baseUrl());

            assertThatThrownBy(() -> client.get("user", "u1"))
                    .isExactlyInstanceOf(FeatureClientException.class)
                    .hasMessageContaining(server.baseUrl() + "/v1/features/user/u1")
                    .hasMessageContaining("not JSON")
                    .hasMessageContaining("<html>hello</html>");
        }
    }

    @Nested
    class Retries {

        @Test
        void shouldRetryA503AfterItsRetryAfterAndReturnTheAnswer() {
            final AtomicInteger calls = new AtomicInteger();
            final CannedFeatureServer server = server(request -> calls.getAndIncrement() == 0
                    ? Answer.unavailable(1, "partition 3 is restoring")
                    : CannedFeatureServer.contractAnswer(request));
            final FeatureClient client = client(FeatureClient.builder().baseUrl(server.baseUrl())
                    .requestTimeout(Duration.ofSeconds(5)));

            final long start = System.nanoTime();
            final FeatureVector vector = client.get("user", "u1");
            final Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(vector.getLong("views_1h")).hasValue(3);
            assertThat(server.requests()).hasSize(2);
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        }

        @Test
        void shouldThrowFeaturesUnavailableWithRetryAfterWhen503OutlastsTheRetries() {
            final CannedFeatureServer server = server(request -> Answer.unavailable(0, "rebalancing"));
            final FeatureClient client = client(FeatureClient.builder().baseUrl(server.baseUrl()).maxRetries(2));

            assertThatThrownBy(() -> client.get("user", "u1"))
                    .isInstanceOfSatisfying(FeaturesUnavailableException.class,
                            e -> assertThat(e.retryAfter()).contains(Duration.ZERO))
                    .hasMessageContaining("Features of user 'u1' are unavailable")
                    .hasMessageContaining("answered 503: rebalancing")
                    .hasMessageContaining("attempt 3 of 3");
            assertThat(server.requests()).hasSize(3);
        }

        @Test
        void shouldGiveUpAtOnceWhenRetryAfterWouldPassTheDeadline() {
            final CannedFeatureServer server = server(request -> Answer.unavailable(30, "no standby within lag"));
            final FeatureClient client = client(FeatureClient.builder().baseUrl(server.baseUrl())
                    .requestTimeout(Duration.ofSeconds(1)));

            final long start = System.nanoTime();
            assertThatThrownBy(() -> client.get("user", "u1"))
                    .isInstanceOfSatisfying(FeaturesUnavailableException.class,
                            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)))
                    .hasMessageContaining("no standby within lag")
                    .hasMessageContaining("waiting 30 s to retry would pass the request timeout of 1 s")
                    .hasMessageContaining("Ask again after 30 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(server.requests()).hasSize(1);
        }

        @Test
        void shouldRetryA503OnTheOtherInstance() {
            final CannedFeatureServer restoring = server(request -> Answer.unavailable(0, "restoring"));
            final CannedFeatureServer healthy = contractServer();
            final FeatureClient client = client(FeatureClient.builder()
                    .baseUrl(restoring.baseUrl()).baseUrl(healthy.baseUrl()).maxRetries(1));

            for (int i = 0; i < 4; i++) {
                assertThat(client.get("user", "u" + i).found()).isTrue();
            }
            assertThat(healthy.requests()).hasSize(4);
            assertThat(restoring.requests()).hasSize(2);
        }
    }

    @Nested
    class BaseUrls {

        @Test
        void shouldUseTheNextBaseUrlWhenTheFirstRefusesConnections() {
            final CannedFeatureServer server = contractServer();
            final FeatureClient client = client(CannedFeatureServer.refusingBaseUrl(), server.baseUrl());

            for (int i = 0; i < 4; i++) {
                assertThat(client.get("user", "u" + i).id()).isEqualTo("u" + i);
            }
            assertThat(server.requests()).hasSize(4);
        }

        @Test
        void shouldThrowFeaturesUnavailableNamingEveryBaseUrlWhenNoneAcceptsConnections() {
            final String first = CannedFeatureServer.refusingBaseUrl();
            final String second = CannedFeatureServer.refusingBaseUrl();
            final FeatureClient client = client(first, second);

            assertThatThrownBy(() -> client.get("user", "u1"))
                    .isInstanceOfSatisfying(FeaturesUnavailableException.class,
                            e -> assertThat(e.retryAfter()).isEmpty())
                    .hasMessageContaining("no feature store instance accepted a connection for features of user 'u1'")
                    .hasMessageContaining(first)
                    .hasMessageContaining(second)
                    .hasMessageContaining("Check that the instances run");
        }

        @Test
        void shouldSpreadCallsEvenlyAcrossInstances() {
            final CannedFeatureServer first = contractServer();
            final CannedFeatureServer second = contractServer();
            final FeatureClient client = client(first.baseUrl(), second.baseUrl());

            for (int i = 0; i < 10; i++) {
                client.get("user", "u" + i);
            }
            assertThat(first.requests()).hasSize(5);
            assertThat(second.requests()).hasSize(5);
        }

        @Test
        void shouldReuseOneConnectionForCallsInSequence() {
            final CannedFeatureServer server = contractServer();
            final FeatureClient client = client(server.baseUrl());

            for (int i = 0; i < 5; i++) {
                client.get("user", "u" + i);
            }
            client.getBatch("user", List.of("u1", "u2"));

            assertThat(server.requests()).extracting(Request::remotePort).containsOnly(
                    server.requests().getFirst().remotePort());
        }
    }

    @Nested
    class Deadlines {

        private final CannedFeatureServer slowServer = server(request -> {
            Thread.sleep(5_000);
            return CannedFeatureServer.contractAnswer(request);
        });
        private final FeatureClient client = client(FeatureClient.builder().baseUrl(slowServer.baseUrl())
                .requestTimeout(Duration.ofMillis(300)));

        @Test
        void shouldGiveUpOnASlowServerWithinTheRequestTimeout() {
            final long start = System.nanoTime();
            assertThatThrownBy(() -> client.get("user", "u1"))
                    .isInstanceOf(FeaturesUnavailableException.class)
                    .hasMessageContaining("no answer from GET " + slowServer.baseUrl() + "/v1/features/user/u1")
                    .hasMessageContaining("within the request timeout of 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
        }

        @Test
        void shouldCompleteAnAsyncCallExceptionallyWithinTheRequestTimeout() {
            final CompletableFuture<List<FeatureVector>> future = client.getBatchAsync("user", List.of("u1"));

            assertThat(future).failsWithin(Duration.ofMillis(1_500))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(FeaturesUnavailableException.class);
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void shouldAnswerManyAsyncCallsAtOnce() {
            final CannedFeatureServer server = contractServer();
            final FeatureClient client = client(server.baseUrl());

            final List<CompletableFuture<FeatureVector>> futures = IntStream.range(0, 50)
                    .mapToObj(i -> client.getAsync("user", "u" + i)).toList();

            assertThat(futures).extracting(CompletableFuture::join).extracting(FeatureVector::id)
                    .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "u" + i).toList());
        }

        @Test
        void shouldRefuseCallsAfterClose() {
            final FeatureClient client = client(contractServer().baseUrl());
            client.close();

            assertThatThrownBy(() -> client.get("user", "u1")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }

        @Test
        void shouldRefuseToBuildWithoutBaseUrl() {
            assertThatThrownBy(() -> FeatureClient.builder().build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("baseUrl(");
        }

        @ParameterizedTest
        @ValueSource(strings = {"127.0.0.1:8080", "ftp://host:21", "http://host:8080/?x=1"})
        void shouldRefuseABaseUrlThatIsNotAPlainHttpUrl(final String baseUrl) {
            assertThatThrownBy(() -> FeatureClient.builder().baseUrl(baseUrl))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(baseUrl);
        }

        @Test
        void shouldRefuseTheSameBaseUrlTwice() {
            assertThatThrownBy(() -> FeatureClient.builder().baseUrl("http://a:1").baseUrl("http://a:1/"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("given twice");
        }
    }

    @Test
    void shouldHaveNoKafkaOnItsClasspath() {
        assertThat(FeatureClient.class.getClassLoader().getResource("org/apache/kafka/common/KafkaException.class"))
                .isNull();
    }
}
