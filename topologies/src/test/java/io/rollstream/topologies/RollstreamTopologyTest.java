package io.rollstream.topologies;

import io.rollstream.schemas.contract.Topics;
import io.rollstream.engine.FeatureVector;
import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import io.rollstream.topologies.ingest.OwnerPartition;
import io.rollstream.schemas.contract.RejectReason;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RollstreamTopologyTest {

    private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");

    private TopologyHarness harness = new TopologyHarness(UserActivityFeatures.featureSet(), 1);

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void shouldCountEventsByTypeOverBothWindowsAnchoredAtQueryTime() {
        harness.send("alice", EventType.PAGE_VIEW, NOON.minus(Duration.ofMinutes(50)));
        harness.send("alice", EventType.PAGE_VIEW, NOON.minus(Duration.ofMinutes(10)));
        harness.send("alice", EventType.PURCHASE, NOON.minus(Duration.ofHours(5)));
        harness.send("bob", EventType.PAGE_VIEW, NOON.minus(Duration.ofMinutes(1)));

        final FeatureVector alice = harness.read("alice", NOON);
        assertThat(alice.found()).isTrue();
        assertThat(alice.get("page_view_count_1h")).isEqualTo(2L);
        assertThat(alice.get("page_view_count_24h")).isEqualTo(2L);
        assertThat(alice.get("purchase_count_1h")).isEqualTo(0L);
        assertThat(alice.get("purchase_count_24h")).isEqualTo(1L);
        assertThat(alice.newestEventTime()).isEqualTo(NOON.minus(Duration.ofMinutes(10)).toEpochMilli());
        assertThat(harness.read("bob", NOON).get("page_view_count_1h")).isEqualTo(1L);
        assertThat(harness.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldCountAnEventExactlyAtTheWindowEdgeAndNotOneJustOlder() {
        harness.send("alice", EventType.CLICK, NOON.minus(Duration.ofHours(1)).minusMillis(1));
        harness.send("alice", EventType.CLICK, NOON.minus(Duration.ofHours(1)));
        harness.send("alice", EventType.CLICK, NOON.minus(Duration.ofHours(24)).minusMillis(1));
        harness.send("alice", EventType.CLICK, NOON.minus(Duration.ofHours(24)));

        final FeatureVector atNoon = harness.read("alice", NOON);
        assertThat(atNoon.get("click_count_1h")).isEqualTo(1L);
        assertThat(atNoon.get("click_count_24h")).isEqualTo(3L);
    }

    @Test
    void shouldFoldOutOfOrderEventsIntoTheWindowsOfTheirOwnEventTime() {
        harness.send("alice", EventType.SEARCH, NOON);
        harness.send("alice", EventType.SEARCH, NOON.minus(Duration.ofHours(2)));
        harness.send("alice", EventType.SEARCH, NOON.minus(Duration.ofMinutes(30)));
        harness.send("alice", EventType.SEARCH, NOON.minus(Duration.ofHours(20)));

        final FeatureVector vector = harness.read("alice", NOON);
        assertThat(vector.get("search_count_1h")).isEqualTo(2L);
        assertThat(vector.get("search_count_24h")).isEqualTo(4L);
        assertThat(vector.newestEventTime()).isEqualTo(NOON.toEpochMilli());
    }

    @Test
    void shouldKeepWindowsReadAtTheClockWholeWhenAnEventComesFromAFastClock() {
        harness.send("alice", EventType.CLICK, NOON.minus(Duration.ofMinutes(58)));
        // Stamped by a producer whose clock is 4 minutes fast (the events topic lets it: ClockSkew), for
        // a phone 5 minutes faster still (ingest lets it): 9 minutes ahead of the clock that reads alice.
        harness.send(harness.event("alice", EventType.CLICK, NOON.plus(Duration.ofMinutes(9))).build(),
                NOON.plus(Duration.ofMinutes(4)));

        assertThat(harness.read("alice", NOON).get("click_count_1h")).isEqualTo(1L);
        assertThat(harness.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldLetASilentUsersCountsFallToZeroAsTimePasses() {
        harness.send("alice", EventType.PRODUCT_VIEW, NOON.minus(Duration.ofMinutes(5)));
        harness.send("alice", EventType.PRODUCT_VIEW, NOON.minus(Duration.ofMinutes(2)));

        assertThat(harness.read("alice", NOON).get("product_view_count_1h")).isEqualTo(2L);
        assertThat(harness.read("alice", NOON.plus(Duration.ofMinutes(55))).get("product_view_count_1h")).isEqualTo(2L);
        assertThat(harness.read("alice", NOON.plus(Duration.ofMinutes(57))).get("product_view_count_1h")).isEqualTo(1L);
        assertThat(harness.read("alice", NOON.plus(Duration.ofMinutes(59))).get("product_view_count_1h")).isEqualTo(0L);
        assertThat(harness.read("alice", NOON.plus(Duration.ofHours(2))).get("product_view_count_1h")).isEqualTo(0L);
        assertThat(harness.read("alice", NOON.plus(Duration.ofHours(2))).get("product_view_count_24h")).isEqualTo(2L);
        final FeatureVector dayLater = harness.read("alice", NOON.plus(Duration.ofHours(25)));
        assertThat(dayLater.get("product_view_count_24h")).isEqualTo(0L);
        assertThat(dayLater.found()).as("the user is still known, with zero counts").isTrue();
    }

    @Test
    void shouldAnswerZerosForAUserWithoutEvents() {
        final FeatureVector nobody = harness.read("nobody", NOON);
        assertThat(nobody.found()).isFalse();
        assertThat(nobody.values().values()).containsOnly(0L);
    }

    @Test
    void shouldDeadLetterGarbageWithItsOriginalBytesAndSourceAndKeepGoing() {
        final byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        harness.events.pipeInput("alice", garbage, NOON);
        harness.send("alice", EventType.PAGE_VIEW, NOON);

        final TestRecord<byte[], byte[]> dead = harness.deadLetters.readRecord();
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("alice");
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.MALFORMED.name());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).isNotBlank();
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION)).isNotBlank();
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.EVENTS);
        assertThat(header(dead, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.TIME)).isNotBlank();
        assertThat(harness.read("alice", NOON).get("page_view_count_1h")).as("good records keep flowing").isEqualTo(1L);
    }

    @Test
    void shouldDeadLetterARecordWithAnUnknownSchemaId() {
        final byte[] valid = harness.serializer.serialize(Topics.EVENTS,
                harness.event("alice", EventType.CLICK, NOON).build());
        final byte[] unknownId = valid.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 424_242);
        harness.events.pipeInput("alice", unknownId, NOON);

        final TestRecord<byte[], byte[]> dead = harness.deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.UNKNOWN_SCHEMA.name());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("424242");
        assertThat(dead.value()).isEqualTo(unknownId);
        assertThat(unknownId[0]).isEqualTo(ConfluentWireFormat.MAGIC_BYTE);
    }

    @Test
    void shouldDeadLetterEventsThatFailValidation() {
        harness.send(harness.event("x", EventType.CLICK, NOON).setUserId(null).build(), NOON);
        harness.send(harness.event("x", EventType.CLICK, NOON).setUserId("  ").build(), NOON);
        harness.send(harness.event("x", EventType.CLICK, NOON).setEventId("").build(), NOON);
        harness.send(harness.event("x", EventType.UNKNOWN, NOON).build(), NOON);
        harness.send(harness.event("x", EventType.CLICK, NOON.plus(Duration.ofMinutes(6))).build(), NOON);
        harness.send(harness.event("x", EventType.CLICK, NOON.plus(Duration.ofMinutes(4))).build(), NOON);

        assertThat(harness.deadLetters.readRecordsToList()).extracting(r -> header(r, DeadLetterHeaders.REASON))
                .containsExactly(RejectReason.MISSING_USER_ID.name(), RejectReason.MISSING_USER_ID.name(),
                        RejectReason.MISSING_EVENT_ID.name(), RejectReason.UNKNOWN_EVENT_TYPE.name(),
                        RejectReason.FUTURE_EVENT_TIME.name());
        assertThat(harness.read("x", NOON.plus(Duration.ofMinutes(5))).get("click_count_1h"))
                .as("within the allowed skew the event counts").isEqualTo(1L);
    }

    @Test
    void shouldDeadLetterAndNotCountEventsOlderThanTheAllowedLateness() {
        harness.send("alice", EventType.PAGE_VIEW, NOON);
        final ClickEvent late = harness.event("alice", EventType.PAGE_VIEW, NOON.minus(Duration.ofHours(25))).build();
        final ClickEvent lateButAllowed = harness.event("alice", EventType.PAGE_VIEW, NOON.minus(Duration.ofHours(23))).build();
        harness.send(late, NOON);
        harness.send(lateButAllowed, NOON);

        final TestRecord<byte[], byte[]> dead = harness.deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.LATE_EVENT.name());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains(late.getEventId()).contains("allowed lateness");
        assertThat(dead.value()).isEqualTo(harness.serializer.serialize(Topics.EVENTS, late));
        assertThat(harness.deadLetters.isEmpty()).isTrue();
        assertThat(harness.read("alice", NOON).get("page_view_count_24h")).isEqualTo(2L);
        assertThat(lateMetricTotal()).isEqualTo(1.0);
    }

    @Test
    void shouldMoveAnEventOnAnotherPartitionThanItsUsersToTheRekeyedTopic() {
        harness.close();
        harness = new TopologyHarness(UserActivityFeatures.featureSet(), 4);
        final OwnerPartition owner = new OwnerPartition(4);
        // The test driver delivers everything on partition 0: find one user owned by 0, one not.
        final String local = IntStream.range(0, 100).mapToObj(i -> "user-" + i).filter(u -> owner.of(u) == 0).findFirst().orElseThrow();
        final String remote = IntStream.range(0, 100).mapToObj(i -> "user-" + i).filter(u -> owner.of(u) != 0).findFirst().orElseThrow();

        harness.send(local, EventType.CLICK, NOON);
        final ClickEvent remoteEvent = harness.event(remote, EventType.CLICK, NOON).build();
        harness.send(remoteEvent, NOON);

        final TestRecord<String, byte[]> moved = harness.rekeyedOut.readRecord();
        assertThat(moved.key()).isEqualTo(remote);
        assertThat(moved.value()).as("moved with its original bytes")
                .isEqualTo(harness.serializer.serialize(Topics.EVENTS, remoteEvent));
        assertThat(harness.rekeyedOut.isEmpty()).as("only the misrouted event moves, and never twice").isTrue();
        // The driver feeds the re-keyed topic back in, as the broker would on the owner partition.
        assertThat(harness.read(local, NOON).get("click_count_1h")).isEqualTo(1L);
        assertThat(harness.read(remote, NOON).get("click_count_1h")).isEqualTo(1L);
    }

    private double lateMetricTotal() {
        return harness.driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("late-records-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private static String header(final TestRecord<?, ?> record, final String key) {
        return DeadLetterHeaders.read(record.headers(), key).orElse(null);
    }
}
