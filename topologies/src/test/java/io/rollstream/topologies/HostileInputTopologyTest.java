package io.rollstream.topologies;

import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.topologies.ingest.DeadLetter;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import io.rollstream.topologies.ingest.RecordTimeGuard;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a producer outside Rollstream's control can send the ingest, and that none of it stops a partition. */
class HostileInputTopologyTest {

    private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");

    private final TopologyHarness harness = new TopologyHarness(UserActivityFeatures.featureSet(), 1);

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void shouldDeadLetterAnOversizedFieldAsOversizedNamingItAndCountTheNextEvent() {
        harness.send(harness.event("mallory", EventType.PRODUCT_VIEW, NOON).setItemId("i")
                .setCategory("c".repeat(600_000)).build(), NOON);
        harness.send("alice", EventType.PAGE_VIEW, NOON);

        final TestRecord<byte[], byte[]> dead = harness.deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.OVERSIZED.name());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("over the limit of " + EventLimits.DEFAULT_MAX_EVENT_BYTES
                + " (" + EventLimits.MAX_EVENT_BYTES_CONFIG + "), most of them in category (6000").contains("(field category)");
        assertThat(harness.read("alice", NOON).get("page_view_count_1h")).isEqualTo(1L);
        assertThat(harness.read("mallory", NOON).get("product_view_count_1h")).isEqualTo(0L);
    }

    @Test
    void shouldDeadLetterAFieldPastItsLimitInAnEventOfAllowedSizeNamingFieldAndLimit() {
        harness.send(harness.event("mallory", EventType.PRODUCT_VIEW, NOON).setItemId("i")
                .setCategory("c".repeat(EventLimits.DEFAULT_MAX_TEXT_CHARS + 1)).build(), NOON);

        assertThat(header(harness.deadLetters.readRecord(), DeadLetterHeaders.MESSAGE)).startsWith("category has "
                + (EventLimits.DEFAULT_MAX_TEXT_CHARS + 1) + " characters, over the limit of "
                + EventLimits.DEFAULT_MAX_TEXT_CHARS + " (" + EventLimits.MAX_TEXT_CHARS_CONFIG + ")").contains("field category");
    }

    @Test
    void shouldDeadLetterAnEventThatIsTooLargeAsAWholeThoughEachFieldFits() {
        final java.util.Map<String, String> map = new java.util.TreeMap<>();
        for (int i = 0; i < EventLimits.DEFAULT_MAX_PROPERTY_ENTRIES; i++) {
            map.put("key-" + i, "v".repeat(EventLimits.DEFAULT_MAX_PROPERTY_VALUE_CHARS));
        }
        harness.send(harness.event("mallory", EventType.CLICK, NOON).setProperties(map).build(), NOON);

        final TestRecord<byte[], byte[]> dead = harness.deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.OVERSIZED.name());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("over the limit of " + EventLimits.DEFAULT_MAX_EVENT_BYTES)
                .contains("most of them in properties").contains("(field properties)");
    }

    @Test
    void shouldDeadLetterARecordWhoseKeyOrHeadersPassTheirLimitsBeforeDecodingIt() {
        final byte[] valid = harness.serializer.serialize("clickstream.events", harness.event("alice", EventType.CLICK, NOON).build());
        harness.events.pipeInput(new TestRecord<>("k".repeat(EventLimits.DEFAULT_MAX_RECORD_KEY_BYTES + 1), valid,
                new RecordHeaders(), NOON));
        final RecordHeaders heavy = new RecordHeaders();
        heavy.add("trace", new byte[EventLimits.DEFAULT_MAX_RECORD_HEADER_BYTES]);
        harness.events.pipeInput(new TestRecord<>("alice", valid, heavy, NOON));

        final List<TestRecord<byte[], byte[]>> dead = harness.deadLetters.readRecordsToList();
        assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.REASON))
                .containsExactly(RejectReason.OVERSIZED.name(), RejectReason.OVERSIZED.name());
        assertThat(header(dead.get(0), DeadLetterHeaders.MESSAGE)).contains("field key");
        assertThat(header(dead.get(1), DeadLetterHeaders.MESSAGE)).contains("field headers");
        assertThat(harness.read("alice", NOON).get("click_count_1h")).isEqualTo(0L);
    }

    @Test
    void shouldCountEveryHeaderEvenOneWithNoBytesAgainstTheLimit() {
        final byte[] valid = harness.serializer.serialize("clickstream.events", harness.event("alice", EventType.CLICK, NOON).build());
        final RecordHeaders empty = new RecordHeaders();
        // Past the ingest's limit and past what a dead letter keeps of a record's own headers.
        for (int i = 0; i <= DeadLetter.MAX_ORIGINAL_HEADER_BYTES / EventLimits.HEADER_OVERHEAD_BYTES; i++) {
            empty.add("", null);
        }
        harness.events.pipeInput(new TestRecord<>("alice", valid, empty, NOON));

        final TestRecord<byte[], byte[]> dead = harness.deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.OVERSIZED.name());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("(field headers)");
        assertThat(header(dead, DeadLetterHeaders.HEADERS_DROPPED)).isEqualTo(Integer.toString(empty.toArray().length));
        assertThat(dead.getHeaders().toArray()).as("none of the record's own headers is kept")
                .allSatisfy(h -> assertThat(h.key()).startsWith(DeadLetterHeaders.PREFIX));
    }

    @Test
    void shouldKeepADeadLetterWithinItsBoundWhateverTheRecordCarried() {
        final byte[] huge = new byte[900_000];
        Arrays.fill(huge, (byte) '{');
        harness.events.pipeInput("alice", huge, NOON);

        final TestRecord<byte[], byte[]> dead = harness.deadLetters.readRecord();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.OVERSIZED.name());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("(field event)");
        assertThat(dead.value()).hasSize(DeadLetter.MAX_VALUE_BYTES);
        assertThat(header(dead, DeadLetterHeaders.VALUE_TRUNCATED_FROM)).isEqualTo("900000");
        assertThat(Arrays.equals(dead.value(), Arrays.copyOf(huge, DeadLetter.MAX_VALUE_BYTES))).isTrue();
    }

    @Test
    void shouldDeadLetterARecordStampedFarAheadWithoutMakingLaterEventsLate() {
        final Instant now = Instant.now();
        final ClickEvent future = harness.event("mallory", EventType.CLICK, now).build();
        harness.events.pipeInput("mallory", harness.serializer.serialize("clickstream.events", future),
                now.plus(Duration.ofDays(365)));
        harness.send(harness.event("alice", EventType.CLICK, now.minus(Duration.ofHours(1))).build(), now);

        final List<TestRecord<byte[], byte[]>> dead = harness.deadLetters.readRecordsToList();
        assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.REASON))
                .as("one dead letter, and not the later event as LATE_EVENT").containsExactly(RejectReason.FUTURE_RECORD_TIME.name());
        assertThat(header(dead.getFirst(), DeadLetterHeaders.MESSAGE)).contains("further ahead of this instance's clock");
        assertThat(dead.getFirst().getHeaders().lastHeader(RecordTimeGuard.FUTURE_STAMP)).isNotNull();
        assertThat(harness.read("alice", now).get("click_count_24h")).isEqualTo(1L);
    }

    @Test
    void shouldIgnoreAFutureStampMarkerThatAProducerSentItself() {
        final RecordHeaders forged = new RecordHeaders();
        forged.add(RecordTimeGuard.FUTURE_STAMP, "1".getBytes(StandardCharsets.UTF_8));
        harness.events.pipeInput(new TestRecord<>("alice", harness.serializer.serialize("clickstream.events",
                harness.event("alice", EventType.CLICK, NOON).build()), forged, NOON));

        assertThat(harness.deadLetters.isEmpty()).isTrue();
        assertThat(harness.read("alice", NOON).get("click_count_1h")).isEqualTo(1L);
    }

    private static String header(final TestRecord<byte[], byte[]> record, final String key) {
        return DeadLetterHeaders.read(record.getHeaders(), key).orElse(null);
    }
}
