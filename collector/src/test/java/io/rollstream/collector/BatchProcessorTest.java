package io.rollstream.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.collector.HttpAnswers.Answer;
import io.rollstream.publisher.PublishException;
import io.rollstream.publisher.PublishException.Reason;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.EventLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchProcessorTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ClickEvent> written = new ArrayList<>();
    private Function<ClickEvent, CompletableFuture<?>> kafka = event -> CompletableFuture.completedFuture(null);

    @Test
    void shouldAcceptOneEventAndAnswerItsGeneratedId() throws Exception {
        final Answer answer = post("{\"event_type\":\"PAGE_VIEW\",\"user_id\":\"u-1\",\"event_time\":\"2026-11-21T11:59:00Z\","
                + "\"page_url\":\"https://shop.example/\",\"properties\":{\"ab\":\"b\"}}");

        assertThat(answer.status()).isEqualTo(200);
        final JsonNode body = json(answer);
        assertThat(body.path("accepted").asInt()).isEqualTo(1);
        assertThat(body.path("event_ids").get(0).asText()).matches("[0-9a-f-]{36}");
        final ClickEvent event = written.getFirst();
        assertThat(event.getEventId()).isEqualTo(body.path("event_ids").get(0).asText());
        assertThat(event.getEventType()).isEqualTo(EventType.PAGE_VIEW);
        assertThat(event.getUserId()).isEqualTo("u-1");
        assertThat(event.getEventTime()).isEqualTo(Instant.parse("2026-11-21T11:59:00Z"));
        assertThat(event.getPageUrl()).isEqualTo("https://shop.example/");
        assertThat(event.getProperties()).containsEntry("ab", "b");
    }

    @Test
    void shouldAcceptAJsonArrayAndNdjsonAndKeepTheClientsOwnIds() throws Exception {
        final Answer array = post("[" + event("a", "CLICK") + "," + event("b", "PURCHASE") + "]");
        assertThat(array.status()).isEqualTo(200);
        assertThat(json(array).path("event_ids").toString()).isEqualTo("[\"a\",\"b\"]");

        final Answer ndjson = process(event("c", "SEARCH") + "\n\n" + event("d", "ADD_TO_CART") + "\r\n",
                BodyFormat.NDJSON);
        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(json(ndjson).path("event_ids").toString()).isEqualTo("[\"c\",\"d\"]");
        assertThat(written).extracting(ClickEvent::getEventId).containsExactly("a", "b", "c", "d");
    }

    @Test
    void shouldAnswer207NamingTheFieldOfEachRejectedEventAndWriteOnlyTheValidOnes() throws Exception {
        final Answer answer = post("[" + event("ok-1", "CLICK") + ","
                + "{\"event_type\":\"PURCHASE\",\"user_id\":\"u\",\"event_time\":1795262400000,\"price\":\"12.5\"},"
                + event("ok-2", "PURCHASE") + ","
                + "{\"event_type\":\"TELEPORT\",\"user_id\":\"u\",\"event_time\":1795262400000}]");

        assertThat(answer.status()).isEqualTo(207);
        final JsonNode body = json(answer);
        assertThat(body.path("accepted").asInt()).isEqualTo(2);
        assertThat(body.path("rejected").asInt()).isEqualTo(2);
        final JsonNode results = body.path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(results.get(0).path("event_id").asText()).isEqualTo("ok-1");
        assertThat(results.get(1).path("status").asText()).isEqualTo("rejected");
        assertThat(results.get(1).path("field").asText()).isEqualTo("price");
        assertThat(results.get(1).path("error").asText()).contains("must be a number, got a string \"12.5\"");
        assertThat(results.get(3).path("field").asText()).isEqualTo("event_type");
        assertThat(results.get(3).path("error").asText()).contains("'TELEPORT' is not one of PAGE_VIEW, PRODUCT_VIEW");
        assertThat(written).extracting(ClickEvent::getEventId).containsExactly("ok-1", "ok-2");
    }

    @Test
    void shouldAnswer400WithResultsWhenNoEventIsValid() throws Exception {
        final Answer one = post("{\"event_type\":\"CLICK\",\"event_time\":1795262400000}");
        assertThat(one.status()).isEqualTo(400);
        assertThat(json(one).path("error").asText()).isEqualTo("The event is not valid: field user_id: user_id is required.");
        assertThat(json(one).path("results").get(0).path("field").asText()).isEqualTo("user_id");

        final Answer two = post("[1, {\"user_id\":\"u\"}]");
        assertThat(two.status()).isEqualTo(400);
        assertThat(json(two).path("error").asText()).startsWith("None of the 2 events is valid (event 0: an event is a "
                + "JSON object, got an integer 1)");
        assertThat(json(two).path("rejected").asInt()).isEqualTo(2);
        assertThat(written).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing event_type     | {\"user_id\":\"u\",\"event_time\":1795262400000}                          | event_type | event_type is required",
            "missing event_time     | {\"event_type\":\"CLICK\",\"user_id\":\"u\"}                               | event_time | event_time is required",
            "null user_id           | {\"event_type\":\"CLICK\",\"user_id\":null,\"event_time\":1795262400000}   | user_id    | user_id is required",
            "user_id a number       | {\"event_type\":\"CLICK\",\"user_id\":42,\"event_time\":1795262400000}     | user_id    | user_id must be a string, got an integer 42",
            "blank user_id          | {\"event_type\":\"CLICK\",\"user_id\":\" \",\"event_time\":1795262400000}  | user_id    | user_id is missing or blank",
            "control char in id     | {\"event_type\":\"CLICK\",\"user_id\":\"a\\u0001b\",\"event_time\":1795262400000} | user_id | control character (U+0001) at position 1",
            "event_type lowercase   | {\"event_type\":\"click\",\"user_id\":\"u\",\"event_time\":1795262400000}  | event_type | 'click' is not one of PAGE_VIEW",
            "event_type UNKNOWN     | {\"event_type\":\"UNKNOWN\",\"user_id\":\"u\",\"event_time\":1795262400000} | event_type | UNKNOWN is not an event type a client may send",
            "event_type a number    | {\"event_type\":3,\"user_id\":\"u\",\"event_time\":1795262400000}          | event_type | event_type must be a string, one of PAGE_VIEW",
            "quantity fractional    | {\"event_type\":\"PURCHASE\",\"user_id\":\"u\",\"event_time\":1795262400000,\"quantity\":1.5} | quantity | quantity must be an integer (32-bit), got a number 1.5",
            "quantity too large     | {\"event_type\":\"PURCHASE\",\"user_id\":\"u\",\"event_time\":1795262400000,\"quantity\":4294967296} | quantity | must be an integer (32-bit)",
            "price a boolean        | {\"event_type\":\"PURCHASE\",\"user_id\":\"u\",\"event_time\":1795262400000,\"price\":true} | price | price must be a number, got a boolean true",
            "price infinite         | {\"event_type\":\"PURCHASE\",\"user_id\":\"u\",\"event_time\":1795262400000,\"price\":1e400} | price | price must be a finite number",
            "properties not strings | {\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400000,\"properties\":{\"n\":1}} | properties.n | properties.n must be a string, got an integer 1",
            "properties an array    | {\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400000,\"properties\":[]} | properties | properties must be an object of string values, got an array",
            "unknown field          | {\"event_type\":\"CLICK\",\"user\":\"u\",\"user_id\":\"u\",\"event_time\":1795262400000} | user | unknown field 'user'; a ClickEvent has event_id, event_type, user_id",
            "event_time a boolean   | {\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":false}          | event_time | event_time must be an ISO-8601 string or epoch milliseconds (an integer), got a boolean false",
            "event_time fractional  | {\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400000.5} | event_time | got a number 1795262400000.5",
            "event_time no zone     | {\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":\"2026-11-21T11:00:00\"} | event_time | is not an ISO-8601 instant; write it like 2026-11-21T12:00:00Z",
            "event_time in future   | {\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":\"2026-11-21T12:10:00Z\"} | event_time | is 10m ahead of 2026-11-21T12:00:00Z, when it was sent; at most 5m of clock skew is allowed",
            "event_time too old     | {\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":\"2026-10-01T00:00:00Z\"} | event_time | is older than the maximum age of 30d",
            "epoch seconds          | {\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400}     | event_time | It looks like epoch seconds: send milliseconds",
            "event_id blank         | {\"event_id\":\"\",\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400000} | event_id | event_id is missing or blank",
    })
    void shouldRejectAnEventNamingTheFieldAndTheProblem(final String name, final String event, final String field,
                                                        final String error) throws Exception {
        final Answer answer = post(event);

        assertThat(answer.status()).isEqualTo(400);
        final JsonNode result = json(answer).path("results").get(0);
        assertThat(result.path("status").asText()).isEqualTo("rejected");
        assertThat(result.path("field").asText()).isEqualTo(field);
        assertThat(result.path("error").asText()).contains(error);
        assertThat(written).isEmpty();
    }

    @Test
    void shouldRejectAnIdLongerThanTheFeatureApiReads() throws Exception {
        final Answer answer = post("{\"event_type\":\"CLICK\",\"user_id\":\"" + "x".repeat(257)
                + "\",\"event_time\":1795262400000}");
        assertThat(json(answer).path("results").get(0).path("error").asText()).contains("257 characters, over the limit of 256");
    }

    @Test
    void shouldAcceptEventTimesAsIsoWithZoneOrOffsetAndAsEpochMillis() throws Exception {
        final Answer answer = post("["
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":\"2026-11-21T11:00:00Z\"},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":\"2026-11-21T12:00:00+01:00\"},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":\"2026-11-21T12:04:59Z\"},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":" + NOW.minus(Duration.ofDays(29)).toEpochMilli() + "}]");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(written).extracting(ClickEvent::getEventTime).containsExactly(Instant.parse("2026-11-21T11:00:00Z"),
                Instant.parse("2026-11-21T11:00:00Z"), Instant.parse("2026-11-21T12:04:59Z"), NOW.minus(Duration.ofDays(29)));
    }

    @Test
    void shouldGiveTheSameEventTheSameGeneratedIdSoAResendCountsOnce() throws Exception {
        final String body = "[{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":\"2026-11-21T11:00:00Z\","
                + "\"properties\":{\"a\":\"1\",\"b\":\"2\"}},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":\"2026-11-21T11:00:00.001Z\"}]";
        final JsonNode first = json(post(body)).path("event_ids");
        final JsonNode resent = json(post(body)).path("event_ids");
        // The same event written differently: other key order, epoch millis instead of ISO, properties reordered.
        final JsonNode sameEvent = json(post("{\"properties\":{\"b\":\"2\",\"a\":\"1\"},\"event_time\":"
                + Instant.parse("2026-11-21T11:00:00Z").toEpochMilli() + ",\"user_id\":\"u\",\"event_type\":\"CLICK\"}"))
                .path("event_ids");

        assertThat(resent).isEqualTo(first);
        assertThat(first.get(0)).isNotEqualTo(first.get(1));
        assertThat(sameEvent.get(0)).isEqualTo(first.get(0));
    }

    @Test
    void shouldRefuseInvalidJsonNamingWhereItBroke() {
        assertRefused("{\"event_type\":\"CLICK\",\"user_id\":", BodyFormat.JSON, 400,
                "The body is not valid JSON: Unexpected end-of-input");
        assertRefused("{\"event_type\": CLICK}", BodyFormat.JSON, 400, "at line 1, column");
        assertRefused(event("a", "CLICK") + " " + event("b", "CLICK"), BodyFormat.JSON, 400, "not valid JSON");
        assertRefused("\"just a string\"", BodyFormat.JSON, 400, "The body is a string \"just a string\", not an event");
    }

    @Test
    void shouldRejectAnEventThatSendsAFieldOrPropertyTwice() throws Exception {
        final Answer answer = post("[{\"event_type\":\"CLICK\",\"user_id\":\"a\",\"user_id\":\"b\",\"event_time\":1795262400000},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"a\",\"event_time\":1795262400000,\"properties\":{\"k\":\"1\",\"k\":\"2\"}},"
                + event("ok", "CLICK") + "]");

        assertThat(answer.status()).isEqualTo(207);
        final JsonNode results = json(answer).path("results");
        assertThat(results.get(0).path("field").asText()).isEqualTo("user_id");
        assertThat(results.get(0).path("error").asText()).isEqualTo("user_id appears twice in the event; send each field once");
        assertThat(results.get(1).path("field").asText()).isEqualTo("properties.k");
        assertThat(results.get(2).path("status").asText()).isEqualTo("accepted");
        assertThat(written).extracting(ClickEvent::getEventId).containsExactly("ok");
    }

    @Test
    void shouldReadTheEventAfterOneWithAMisfitNestedValue() throws Exception {
        final Answer answer = post("[{\"event_type\":\"CLICK\",\"user_id\":{\"nested\":[1,{\"a\":2}]},"
                + "\"event_time\":1795262400000,\"properties\":{\"a\":[1,2],\"b\":\"x\"}},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400000,\"properties\":{\"a\":[1,2],\"b\":\"x\"}},"
                + event("ok", "CLICK") + "]");

        assertThat(answer.status()).isEqualTo(207);
        final JsonNode results = json(answer).path("results");
        assertThat(results.get(0).path("error").asText()).isEqualTo("user_id must be a string, got an object");
        assertThat(results.get(1).path("error").asText()).isEqualTo("properties.a must be a string, got an array");
        assertThat(results.get(2).path("event_id").asText()).isEqualTo("ok");
        assertThat(written).extracting(ClickEvent::getEventId).containsExactly("ok");
    }

    @Test
    void shouldRefuseAnEmptyBatch() {
        assertRefused("", BodyFormat.JSON, 400, "The body is empty; send at least one event");
        assertRefused(" \n", BodyFormat.JSON, 400, "The body is empty");
        assertRefused("[]", BodyFormat.JSON, 400, "The batch is an empty JSON array; send at least one event");
        assertRefused("\n \n", BodyFormat.NDJSON, 400, "The NDJSON body has no events");
    }

    @Test
    void shouldRefuseMoreEventsThanTheBatchLimitWith413() throws Exception {
        final CollectorSettings small = settings().maxBatchEvents(2).build();
        final BatchProcessor processor = new BatchProcessor(small, this::write, Clock.fixed(NOW, ZoneOffset.UTC));
        final String three = "[" + event("a", "CLICK") + "," + event("b", "CLICK") + "," + event("c", "CLICK") + "]";

        assertThatThrownBy(() -> processor.process(three.getBytes(StandardCharsets.UTF_8), BodyFormat.JSON))
                .isInstanceOfSatisfying(RequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("3 events, over the limit of 2");
                    assertThat(e.details()).containsEntry("limit_events", 2);
                });
        assertThat(processor.process((event("a", "CLICK") + "\n" + event("b", "CLICK")).getBytes(StandardCharsets.UTF_8),
                BodyFormat.NDJSON).status()).isEqualTo(200);
    }

    @Test
    void shouldRejectOnlyTheNdjsonLineThatIsNotJson() throws Exception {
        final Answer answer = process(event("a", "CLICK") + "\n{\"event_type\": oops\n" + event("b", "CLICK"), BodyFormat.NDJSON);

        assertThat(answer.status()).isEqualTo(207);
        final JsonNode bad = json(answer).path("results").get(1);
        assertThat(bad.path("status").asText()).isEqualTo("rejected");
        assertThat(bad.has("field")).isFalse();
        assertThat(bad.path("error").asText()).startsWith("this line is not valid JSON");
        assertThat(written).extracting(ClickEvent::getEventId).containsExactly("a", "b");
    }

    @Test
    void shouldAnswer503WithRetryAfterAndTheIdsWhenKafkaDoesNotAcknowledge() throws Exception {
        kafka = event -> CompletableFuture.failedFuture(new PublishException(Reason.KAFKA_UNAVAILABLE,
                "Topic clickstream.events not present in metadata after 1000 ms", null));

        final Answer answer = post("[" + event("a", "CLICK") + "," + event("b", "CLICK") + ","
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400000}]");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.retryAfterSeconds()).isEqualTo(2);
        final JsonNode body = json(answer);
        assertThat(body.path("error").asText()).contains("Kafka did not acknowledge").contains("not present in metadata")
                .contains("Resend the same request");
        assertThat(body.path("event_ids")).hasSize(3);
        assertThat(body.path("event_ids").get(0).asText()).isEqualTo("a");
        // The first failure came at once: the other events were not handed to a producer that cannot write.
        assertThat(written).hasSize(1);
    }

    @Test
    void shouldAnswer503WhenOnlySomeEventsWereAcknowledged() throws Exception {
        kafka = event -> event.getEventId().equals("b")
                ? CompletableFuture.supplyAsync(() -> {
                    throw new PublishException(Reason.KAFKA_UNAVAILABLE, "Expiring 1 record(s)", null);
                })
                : CompletableFuture.completedFuture(null);

        final Answer answer = post("[" + event("a", "CLICK") + "," + event("b", "CLICK") + "]");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(json(answer).path("event_ids").toString()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void shouldAnswer503WhenKafkaNeitherAcknowledgesNorFailsInTime() throws Exception {
        final CollectorSettings quick = settings().deliveryTimeout(Duration.ofSeconds(1)).maxBlock(Duration.ofMillis(1)).build();
        final BatchProcessor processor = new BatchProcessor(quick, event -> new CompletableFuture<>(),
                Clock.fixed(NOW, ZoneOffset.UTC));

        final Answer answer = processor.process(event("a", "CLICK").getBytes(StandardCharsets.UTF_8), BodyFormat.JSON);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(json(answer).path("error").asText()).contains("did not acknowledge the events within");
    }

    @Test
    void shouldRejectAnEventKafkaFindsTooLargeAndAnswer500WhenTheSetupIsBroken() throws Exception {
        kafka = event -> event.getEventId().equals("big")
                ? CompletableFuture.failedFuture(new PublishException(Reason.INVALID_EVENT, "Event big is larger than Kafka accepts", null))
                : CompletableFuture.completedFuture(null);
        final Answer partly = post("[" + event("big", "CLICK") + "," + event("ok", "CLICK") + "]");
        assertThat(partly.status()).isEqualTo(207);
        assertThat(json(partly).path("results").get(0).path("error").asText()).contains("larger than Kafka accepts");

        kafka = event -> CompletableFuture.failedFuture(new PublishException(Reason.SCHEMA_REJECTED,
                "the schema registry refused the ClickEvent schema", null));
        final Answer broken = post(event("a", "CLICK"));
        assertThat(broken.status()).isEqualTo(500);
        assertThat(json(broken).path("error").asText()).contains("refused the ClickEvent schema")
                .contains("not the request");
    }

    @Test
    void shouldAnswer413NamingTheFieldAndTheLimitWhenEveryEventIsOversized() throws Exception {
        final String category = "c".repeat(600_000);
        final Answer answer = post("{\"event_type\":\"PRODUCT_VIEW\",\"user_id\":\"u\",\"item_id\":\"i\","
                + "\"event_time\":\"2026-11-21T11:59:00Z\",\"category\":\"" + category + "\"}");

        assertThat(answer.status()).isEqualTo(413);
        final JsonNode result = json(answer).path("results").get(0);
        assertThat(result.path("field").asText()).isEqualTo("category");
        assertThat(result.path("reason").asText()).isEqualTo("OVERSIZED");
        assertThat(result.path("error").asText()).isEqualTo("category has 600000 characters, over the limit of "
                + EventLimits.DEFAULT_MAX_TEXT_CHARS + " (" + EventLimits.MAX_TEXT_CHARS_CONFIG + ")");
        assertThat(written).isEmpty();
    }

    @Test
    void shouldRefuseEachPartOfAnEventPastItsLimitAndAcceptTheRestOfTheBatch() throws Exception {
        final StringBuilder properties = new StringBuilder();
        for (int i = 0; i <= EventLimits.DEFAULT_MAX_PROPERTY_ENTRIES; i++) {
            properties.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        final Answer answer = post("[" + event("ok", "CLICK") + ","
                + "{\"event_type\":\"CLICK\",\"user_id\":\"" + "u".repeat(EventLimits.DEFAULT_MAX_ID_CHARS + 1)
                + "\",\"event_time\":1795262400000},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400000,\"properties\":{"
                + properties + "}},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400000,\"properties\":{\"k\":\""
                + "v".repeat(EventLimits.DEFAULT_MAX_PROPERTY_VALUE_CHARS + 1) + "\"}},"
                + "{\"event_type\":\"CLICK\",\"user_id\":\"u\",\"event_time\":1795262400000,\"page_url\":\""
                + "p".repeat(EventLimits.DEFAULT_MAX_URL_CHARS) + "\"}]");

        assertThat(answer.status()).isEqualTo(207);
        final JsonNode results = json(answer).path("results");
        assertThat(results.get(1).path("field").asText()).isEqualTo("user_id");
        assertThat(results.get(1).path("error").asText()).contains("over the limit of 256 (rollstream.events.max-id-chars)");
        assertThat(results.get(2).path("field").asText()).isEqualTo("properties");
        assertThat(results.get(2).path("error").asText()).contains("33 entries, over the limit of 32");
        assertThat(results.get(3).path("field").asText()).isEqualTo("properties.k");
        assertThat(results.get(3).path("reason").asText()).isEqualTo("OVERSIZED");
        assertThat(results.get(4).path("status").asText()).isEqualTo("accepted");
        assertThat(written).hasSize(2);
    }

    @Test
    void shouldRefuseAnEventWhoseWholeEncodingPassesTheLimitThoughEachFieldFits() throws Exception {
        final Answer answer = new BatchProcessor(settings().eventLimits(new EventLimits(256, 2048, 512, 32, 64, 512, 200,
                1024, 8192)).build(), this::write, Clock.fixed(NOW, ZoneOffset.UTC)).process(("{\"event_type\":\"CLICK\","
                + "\"user_id\":\"u\",\"event_time\":1795262400000,\"page_url\":\"" + "p".repeat(300) + "\"}")
                .getBytes(StandardCharsets.UTF_8), BodyFormat.JSON);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(json(answer).path("results").get(0).path("field").asText()).isEqualTo("event");
        assertThat(json(answer).path("results").get(0).path("error").asText())
                .contains("bytes of Avro, over the limit of 200 (rollstream.events.max-event-bytes)");
    }

    private static String event(final String id, final String type) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"user_id\":\"u-" + id
                + "\",\"event_time\":\"2026-11-21T11:30:00Z\"}";
    }

    private CompletableFuture<?> write(final ClickEvent event) {
        written.add(event);
        return kafka.apply(event);
    }

    private static CollectorSettings.Builder settings() {
        return CollectorSettings.builder().bootstrapServers("unused:9092").registryUrl("http://unused:8081");
    }

    private Answer post(final String body) throws RequestException {
        return process(body, BodyFormat.JSON);
    }

    private Answer process(final String body, final BodyFormat format) throws RequestException {
        return new BatchProcessor(settings().build(), this::write, Clock.fixed(NOW, ZoneOffset.UTC))
                .process(body.getBytes(StandardCharsets.UTF_8), format);
    }

    private void assertRefused(final String body, final BodyFormat format, final int status, final String message) {
        assertThatThrownBy(() -> process(body, format)).isInstanceOfSatisfying(RequestException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(message);
        });
        assertThat(written).isEmpty();
    }

    private static JsonNode json(final Answer answer) {
        return JSON.valueToTree(answer.body());
    }
}
