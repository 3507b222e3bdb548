package io.rollstream.schemas.contract;

import static io.rollstream.schemas.TestSchemas.sampleEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.serde.AvroBinarySize;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    private static final EventLimits LIMITS = EventLimits.defaults();
    private final EventValidator validator = new EventValidator(new ClockSkew(Duration.ofMinutes(5)), LIMITS);

    @Test
    void shouldAcceptAnEventWithEveryFieldAtItsLimit() {
        final Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < LIMITS.maxPropertyEntries(); i++) {
            properties.put(("k" + i + "x".repeat(LIMITS.maxPropertyKeyChars())).substring(0, LIMITS.maxPropertyKeyChars()),
                    "v".repeat(i == 0 ? LIMITS.maxPropertyValueChars() : 1));
        }
        final ClickEvent event = ClickEvent.newBuilder(sampleEvent()).setUserId("u".repeat(LIMITS.maxIdChars()))
                .setEventId("e".repeat(LIMITS.maxIdChars())).setCategory("c".repeat(LIMITS.maxTextChars()))
                .setPageUrl("p".repeat(LIMITS.maxUrlChars())).setProperties(properties).build();

        assertThat(check(event)).isEmpty();
    }

    @Test
    void shouldNameTheFieldAndTheLimitOfEveryStringOnePastIt() {
        for (final String field : new String[] {"event_id", "user_id", "session_id", "item_id", "category",
                "search_query", "page_url", "referrer", "device", "country"}) {
            final ClickEvent event = sampleEvent();
            event.put(field, "x".repeat(LIMITS.maxChars(field) + 1));

            final EventValidator.Violation violation = check(event).orElseThrow();
            assertThat(violation.reason()).as(field).isEqualTo(RejectReason.OVERSIZED);
            assertThat(violation.field()).isEqualTo(field);
            assertThat(violation.message()).isEqualTo(field + " has " + (LIMITS.maxChars(field) + 1)
                    + " characters, over the limit of " + LIMITS.maxChars(field) + " (" + EventLimits.configOf(field) + ")");
        }
    }

    @Test
    void shouldBoundThePropertiesMapInEntriesKeysAndValues() {
        final Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= LIMITS.maxPropertyEntries(); i++) {
            many.put("k" + i, "v");
        }
        assertThat(check(ClickEvent.newBuilder(sampleEvent()).setProperties(many).build()).orElseThrow().field())
                .isEqualTo("properties");
        assertThat(check(ClickEvent.newBuilder(sampleEvent()).setProperties(Map.of("k".repeat(65), "v")).build())
                .orElseThrow().message()).contains("a key of properties has 65 characters");
        assertThat(check(ClickEvent.newBuilder(sampleEvent()).setProperties(Map.of("ab", "v".repeat(513))).build())
                .orElseThrow().field()).isEqualTo("properties.ab");
    }

    @Test
    void shouldRefuseAWholeEventPastItsEncodedLimitNamingTheEvent() {
        final ClickEvent event = sampleEvent();

        final EventValidator.Violation violation = validator.check(event, LIMITS.maxEventBytes() + 1, now(event)).orElseThrow();

        assertThat(violation.reason()).isEqualTo(RejectReason.OVERSIZED);
        assertThat(violation.field()).isEqualTo(EventValidator.WHOLE_EVENT);
        assertThat(validator.check(event, LIMITS.maxEventBytes(), now(event))).isEmpty();
    }

    @Test
    void shouldGiveEachBrokenRuleItsReason() {
        assertThat(reason(ClickEvent.newBuilder(sampleEvent()).setEventId(" ").build())).isEqualTo(RejectReason.MISSING_EVENT_ID);
        assertThat(reason(ClickEvent.newBuilder(sampleEvent()).setUserId(null).build())).isEqualTo(RejectReason.MISSING_USER_ID);
        assertThat(reason(ClickEvent.newBuilder(sampleEvent()).setItemId("a\u0000b").build())).isEqualTo(RejectReason.INVALID_ID);
        assertThat(reason(ClickEvent.newBuilder(sampleEvent()).setItemId("  ").build())).isEqualTo(RejectReason.INVALID_ID);
        assertThat(reason(ClickEvent.newBuilder(sampleEvent()).setEventType(EventType.UNKNOWN).build()))
                .isEqualTo(RejectReason.UNKNOWN_EVENT_TYPE);
    }

    @Test
    void shouldJudgeTheEventTimeAgainstTheReferenceTheCallerGives() {
        final ClickEvent event = sampleEvent();
        final long eventTime = event.getEventTime().toEpochMilli();

        assertThat(validator.check(event, 100, eventTime - Duration.ofMinutes(5).toMillis())).isEmpty();
        final EventValidator.Violation ahead = validator.check(event, 100, eventTime - Duration.ofMinutes(6).toMillis())
                .orElseThrow();
        assertThat(ahead.reason()).isEqualTo(RejectReason.FUTURE_EVENT_TIME);
        assertThat(ahead.message()).contains("is 6m ahead of").contains("at most 5m of clock skew is allowed");
    }

    @Test
    void shouldReadLimitsFromSettingsAndRefuseOnesOutOfRangeNamingThem() {
        final EventLimits limits = EventLimits.fromConfig(Map.of(EventLimits.MAX_TEXT_CHARS_CONFIG, "1024",
                "rollstream.other", "ignored"));
        assertThat(limits.maxTextChars()).isEqualTo(1024);
        assertThat(limits.maxIdChars()).isEqualTo(EventLimits.DEFAULT_MAX_ID_CHARS);

        assertThatThrownBy(() -> EventLimits.fromConfig(Map.of(EventLimits.MAX_EVENT_BYTES_CONFIG, "10000000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(EventLimits.MAX_EVENT_BYTES_CONFIG);
    }

    @Test
    void shouldReadLimitsNamedOnACommandLineWithOrWithoutThePrefix() {
        assertThat(EventLimits.fromNamed(Map.of("max-text-chars", "100", EventLimits.MAX_ID_CHARS_CONFIG, "64")))
                .satisfies(limits -> {
                    assertThat(limits.maxTextChars()).isEqualTo(100);
                    assertThat(limits.maxIdChars()).isEqualTo(64);
                });
        assertThatThrownBy(() -> EventLimits.fromNamed(Map.of("max-chars", "1")))
                .hasMessageContaining("'max-chars' is not a limit").hasMessageContaining(EventLimits.MAX_TEXT_CHARS_CONFIG);
    }

    private Optional<EventValidator.Violation> check(final ClickEvent event) {
        return validator.check(event, (int) AvroBinarySize.of(event), now(event));
    }

    private RejectReason reason(final ClickEvent event) {
        return check(event).map(EventValidator.Violation::reason).orElse(null);
    }

    private static long now(final ClickEvent event) {
        return event.getEventTime().toEpochMilli();
    }
}
