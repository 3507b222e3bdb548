package io.rollstream.topologies.oracle;

import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The whole topology against the brute-force {@link FeatureOracle}: random clickstreams (out of
 * order, late, duplicated, invalid, undecodable) through a TopologyTestDriver, then every feature
 * of every key of every entity compared with the oracle at random read instants, and the dead
 * letters compared record by record. A failure shows the smallest sub-stream that still
 * disagrees (see {@link OracleCheck#assertAgrees}).
 *
 * <p>The examples at the end are disagreements the properties found, cut down to a few records.
 */
class FeatureEnginePropertyTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private static final FeatureCatalog DEFAULT_CATALOG = FeaturesFile.loadDefault();

    /**
     * Short windows and the shortest idle expiry they allow, with lifetime features and recencies
     * (what an expired entity loses), on entities keyed by the user and by another field: over a
     * stream of days, entities keep going idle, being swept and starting over.
     */
    private static final FeatureCatalog EXPIRING_CATALOG = FeaturesFile.parse("""
            allowed_lateness: 1h
            idle_expiry: 1h
            features:
              - name: views
                aggregation: count
                windows: [5m, 1h, lifetime]
              - name: first_seen
                field: event_time
                aggregation: first
                windows: [lifetime]
              - name: last_items
                field: item_id
                aggregation: {kind: last_k, k: 2}
                windows: [lifetime]
              - name: item_views
                entity: item
                aggregation: count
                windows: [1h, lifetime]
              - name: category_buyers
                entity: user_category
                event_types: [PURCHASE]
                aggregation: count
                windows: [lifetime]
            derived:
              - name: seconds_since_last_event
                seconds_since: last_event
              - name: seconds_since_item_event
                entity: item
                seconds_since: last_event
            """, "expiring.yaml");

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void shouldAgreeWithTheOracleOnEveryDefaultFeature(@ForAll("defaultCatalogStreams") final Scenario scenario,
                                                       @ForAll("readOffsets") final List<Long> readOffsets) {
        OracleCheck.assertAgrees("default catalog vs oracle", DEFAULT_CATALOG, scenario.records(), readOffsets);
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void shouldAgreeWithTheOracleOnEveryFeatureOfAGeneratedCatalog(@ForAll("generatedCases") final GeneratedCase generated,
                                                                   @ForAll("readOffsets") final List<Long> readOffsets) {
        OracleCheck.assertAgrees("generated catalog vs oracle\n" + generated.catalog(), generated.catalog().catalog(),
                generated.scenario().records(), readOffsets);
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void shouldAgreeWithTheOracleWhenIdleEntitiesExpireAndStartOver(@ForAll("expiringCatalogStreams") final Scenario scenario,
                                                                    @ForAll("readOffsets") final List<Long> readOffsets) {
        OracleCheck.assertAgrees("expiring catalog vs oracle", EXPIRING_CATALOG, scenario.records(), readOffsets);
    }

    /** A generated features file and a stream shaped by its lateness. */
    record GeneratedCase(GeneratedCatalog catalog, Scenario scenario) {
        @Override
        public String toString() {
            return catalog + "\n" + scenario;
        }
    }

    /**
     * A producer's retry of an event from a day ago, arriving soon after the original: ids are
     * remembered by arrival (stream time), so it counts once although its event time is older than
     * the dedupe horizon. (Remembering by event time would need the whole 30-day lateness of ids.)
     */
    @Example
    void shouldCountARetryOnceWhenItsEventIsADayOlderThanTheNewest() {
        final ClickEvent view = event("e1", "u1", EventType.PRODUCT_VIEW, MINUTE);
        check("a retry of a day-old event", DEFAULT_CATALOG, List.of(
                published(view, DAY + MINUTE),
                published(event("e2", "u1", EventType.PRODUCT_VIEW, DAY + 2 * MINUTE), DAY + 2 * MINUTE),
                published(view, DAY + 3 * MINUTE)));
    }

    /**
     * With only lifetime features the default lateness is 0 (the longest finite window, of which
     * there is none), the default dedupe horizon with it, and the admission skips deduplication
     * when the horizon is 0: every retry counts again. (Sent with the original's timestamp, the
     * retry is not late even at lateness 0.)
     */
    @Example
    void shouldCountARetryOnceInACatalogOfLifetimeFeaturesOnly() {
        final FeatureCatalog lifetimeOnly = FeaturesFile.parse("""
                features:
                  - name: views
                    aggregation: count
                    windows: [lifetime]
                """, "lifetime-only.yaml");
        final ClickEvent view = event("e1", "u1", EventType.PAGE_VIEW, MINUTE);
        check("a retry with only lifetime features", lifetimeOnly,
                List.of(published(view, MINUTE), published(view, MINUTE)));
    }

    /**
     * Lateness is judged against stream time, the newest record timestamp. Events moved to the
     * item topic carry their event time as record timestamp, and that topic is read by the same
     * task as the events topic (the shared dead-letter sink joins them into one sub-topology), so
     * an item event whose client clock runs ahead (within the allowed skew) advances stream time
     * beyond any record published, and a later event inside the allowed lateness is dead-lettered.
     */
    @Example
    void shouldJudgeLatenessByPublishedRecordTimestampsAfterAnItemEventWhoseClockRunsAhead() {
        check("lateness after an item event 5 minutes ahead", DEFAULT_CATALOG, List.of(
                published(withItem(event("e1", "u7", EventType.PAGE_VIEW, HOUR + 5 * MINUTE), "i4"), HOUR),
                published(event("e2", "u1", EventType.PAGE_VIEW, HOUR - 30 * DAY + MINUTE), HOUR)));
    }

    /** The same stream without the item: the late event is admitted, as it should be. */
    @Example
    void shouldAdmitAnEventInsideTheLatenessAfterAUserEventWhoseClockRunsAhead() {
        check("lateness after a user event 5 minutes ahead", DEFAULT_CATALOG, List.of(
                published(event("e1", "u7", EventType.PAGE_VIEW, HOUR + 5 * MINUTE), HOUR),
                published(event("e2", "u1", EventType.PAGE_VIEW, HOUR - 30 * DAY + MINUTE), HOUR)));
    }

    /**
     * Sessions with a 30-minute gap: views at 0:00 and 1:20, then two late ones at 0:25 and 0:52
     * bridge them into one session of 4 events and 80 minutes. The current-session readings drop
     * sessions that ended more than two gaps before the latest began, on the ground that no single
     * event can join them to it; but two late events can, one after the other, and the 0:00 view
     * is lost (3 events, 55 minutes).
     */
    @Example
    void shouldCountTheWholeCurrentSessionWhenLateEventsJoinAnEarlierSessionToIt() {
        check("late events bridging two sessions", DEFAULT_CATALOG, List.of(
                published(event("e1", "u1", EventType.PAGE_VIEW, 0), 0),
                published(event("e2", "u1", EventType.PAGE_VIEW, 80 * MINUTE), 80 * MINUTE),
                published(event("e3", "u1", EventType.PAGE_VIEW, 25 * MINUTE), 81 * MINUTE),
                published(event("e4", "u1", EventType.PAGE_VIEW, 52 * MINUTE), 82 * MINUTE)));
    }

    private static void check(final String what, final FeatureCatalog catalog, final List<Published> records) {
        OracleCheck.assertAgrees(what, catalog, records, List.of(0L, MINUTE, DAY));
    }

    /** An event at {@code offset} ms after {@link Scenario#ORIGIN}. */
    private static ClickEvent event(final String id, final String user, final EventType type, final long offset) {
        return ClickEvent.newBuilder().setEventId(id).setEventType(type).setUserId(user)
                .setEventTime(Instant.ofEpochMilli(Scenario.ORIGIN + offset)).setProperties(Map.of()).build();
    }

    private static ClickEvent withItem(final ClickEvent event, final String item) {
        return ClickEvent.newBuilder(event).setItemId(item).build();
    }

    private static Published published(final ClickEvent event, final long offset) {
        return Published.of(event, Scenario.ORIGIN + offset);
    }

    @Provide
    Arbitrary<Scenario> defaultCatalogStreams() {
        return ScenarioArbitraries.scenarios(DEFAULT_CATALOG.allowedLateness(), TopologyUnderTest.MAX_FUTURE_SKEW, 120);
    }

    @Provide
    Arbitrary<Scenario> expiringCatalogStreams() {
        return ScenarioArbitraries.scenarios(EXPIRING_CATALOG.allowedLateness(), TopologyUnderTest.MAX_FUTURE_SKEW, 120);
    }

    @Provide
    Arbitrary<GeneratedCase> generatedCases() {
        return GeneratedCatalog.catalogs().flatMap(catalog -> ScenarioArbitraries.scenarios(
                        catalog.catalog().allowedLateness(), TopologyUnderTest.MAX_FUTURE_SKEW, 80)
                .map(scenario -> new GeneratedCase(catalog, scenario)));
    }

    @Provide
    Arbitrary<List<Long>> readOffsets() {
        return ScenarioArbitraries.queryOffsets(TopologyUnderTest.MAX_FUTURE_SKEW);
    }
}
