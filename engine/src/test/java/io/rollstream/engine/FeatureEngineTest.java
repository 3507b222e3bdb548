package io.rollstream.engine;

import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.schemas.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.rollstream.engine.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureEngineTest {

    private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");

    private final FeatureSet features = UserActivityFeatures.featureSet();
    private final FeatureEngine engine = new FeatureEngine(features);

    @Test
    void shouldReadOnlyTheNamedFeaturesWithTheSameValuesAsAFullRead() {
        final FeatureSet user = FeaturesFile.loadDefault().entities().stream()
                .filter(set -> set.entity().equals("user")).findFirst().orElseThrow();
        final FeatureEngine defaults = new FeatureEngine(user);
        final EntityState state = defaults.newState();
        for (int i = 0; i < 20; i++) {
            final EventType type = i % 4 == 0 ? EventType.CLICK : i % 7 == 0 ? EventType.PURCHASE : EventType.PAGE_VIEW;
            defaults.fold(state, event("u1", type, NOON.minusSeconds(600L * i)));
        }
        final long asOf = NOON.plusSeconds(5).toEpochMilli();
        final FeatureVector full = defaults.read(state, asOf);

        final FeatureVector some = defaults.read(state, asOf, List.of("ctr_24h", "seconds_since_last_purchase", "views_1h"));

        for (final String name : List.of("ctr_24h", "seconds_since_last_purchase", "views_1h")) {
            assertThat(some.get(name)).as(name).isNotNull().isEqualTo(full.get(name));
        }
        assertThat(some.values().keySet()).as("what the named ones need, and nothing else")
                .containsExactlyInAnyOrder("ctr_24h", "clicks_24h", "views_24h", "seconds_since_last_purchase",
                        "last_purchase_time", "views_1h");
        assertThat(some.newestEventTime()).isEqualTo(full.newestEventTime());
        assertThatThrownBy(() -> defaults.read(state, asOf, List.of("views_1h", "nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[nope]");
    }

    @Test
    void shouldAnchorWindowsAtQueryTimeSoASilentUserFallsToZero() {
        final EntityState state = engine.newState();
        engine.fold(state, event("u1", EventType.PAGE_VIEW, NOON.minus(Duration.ofMinutes(10))));
        engine.fold(state, event("u1", EventType.PAGE_VIEW, NOON.minus(Duration.ofMinutes(5))));

        assertThat(engine.read(state, NOON.toEpochMilli()).get("page_view_count_1h")).isEqualTo(2L);
        assertThat(engine.read(state, NOON.plus(Duration.ofHours(2)).toEpochMilli()).get("page_view_count_1h")).isEqualTo(0L);
        assertThat(engine.read(state, NOON.plus(Duration.ofHours(2)).toEpochMilli()).get("page_view_count_24h")).isEqualTo(2L);
        assertThat(engine.read(state, NOON.plus(Duration.ofHours(25)).toEpochMilli()).get("page_view_count_24h")).isEqualTo(0L);
    }

    @Test
    void shouldCoverTheWholeWindowPlusAtMostOneTileOnItsOldEdge() {
        final EntityState state = engine.newState();
        // 1h window, one-minute tiles: a read at T covers [floor_1m(T - 1h), T].
        engine.fold(state, event("u1", EventType.CLICK, NOON.minus(Duration.ofHours(1))));
        engine.fold(state, event("u1", EventType.CLICK, NOON.minus(Duration.ofHours(1)).minusSeconds(1)));

        assertThat(engine.read(state, NOON.toEpochMilli()).get("click_count_1h"))
                .as("an event exactly one window old counts, an older one does not").isEqualTo(1L);
        assertThat(engine.read(state, NOON.plusSeconds(30).toEpochMilli()).get("click_count_1h"))
                .as("the 11:00 tile is read whole: 30 s of edge error, under one tile width").isEqualTo(1L);
        assertThat(engine.read(state, NOON.plusSeconds(60).toEpochMilli()).get("click_count_1h")).isEqualTo(0L);
        assertThat(engine.read(state, NOON.minusSeconds(1).toEpochMilli()).get("click_count_1h")).isEqualTo(2L);
    }

    @Test
    void shouldCountOutOfOrderEventsInTheTileOfTheirOwnEventTime() {
        final EntityState state = engine.newState();
        engine.fold(state, event("u1", EventType.PURCHASE, NOON));
        engine.fold(state, event("u1", EventType.PURCHASE, NOON.minus(Duration.ofHours(3))));
        engine.fold(state, event("u1", EventType.PURCHASE, NOON.minus(Duration.ofMinutes(30))));

        final FeatureVector vector = engine.read(state, NOON.toEpochMilli());
        assertThat(vector.get("purchase_count_1h")).isEqualTo(2L);
        assertThat(vector.get("purchase_count_24h")).isEqualTo(3L);
        assertThat(vector.newestEventTime()).isEqualTo(NOON.toEpochMilli());
    }

    @Test
    void shouldDropTilesNoWindowCanReachSoStateStaysBounded() {
        final EntityState state = engine.newState();
        for (int hour = 0; hour < 72; hour++) {
            engine.fold(state, event("u1", EventType.PAGE_VIEW, NOON.plus(Duration.ofHours(hour))));
        }
        // 24h window with 15-minute tiles: at most 24h/15m + 1 tiles survive.
        final int layout24h = features.layouts().stream().filter(l -> l.retentionMs() == Duration.ofHours(24).toMillis())
                .findFirst().map(features.layouts()::indexOf).orElseThrow();
        assertThat(state.series(layout24h).size()).isLessThanOrEqualTo(97);
        assertThat(engine.read(state, NOON.plus(Duration.ofHours(71)).toEpochMilli()).get("page_view_count_24h"))
                .as("hours 47..71 inclusive: both ends of the window count").isEqualTo(25L);
    }

    @Test
    void shouldKeepTheOldestTilesOfWindowsReadAtTheClockWhenAnEventComesFromAFastOne() {
        final FeatureEngine skewed = new FeatureEngine(features, Duration.ofMinutes(5));
        final EntityState state = skewed.newState();
        skewed.fold(state, event("u1", EventType.CLICK, NOON.minus(Duration.ofMinutes(58))));
        // A phone 4 minutes fast, within the 5 allowed: its event is ahead of the clock that reads the user.
        skewed.fold(state, event("u1", EventType.CLICK, NOON.plus(Duration.ofMinutes(4))));

        assertThat(skewed.read(state, NOON.toEpochMilli()).get("click_count_1h"))
                .as("read at noon: the click 58 minutes before counts, the one from the future not yet").isEqualTo(1L);
        assertThat(skewed.read(state, NOON.plus(Duration.ofMinutes(4)).toEpochMilli()).get("click_count_1h"))
                .as("read when the fast clock's time comes: the old click has left the window, the new one counts")
                .isEqualTo(1L);
        final int layout1h = features.layouts().stream().filter(l -> l.retentionMs() == Duration.ofHours(1).toMillis())
                .findFirst().map(features.layouts()::indexOf).orElseThrow();
        skewed.fold(state, event("u1", EventType.CLICK, NOON.plus(Duration.ofMinutes(10))));
        assertThat(state.series(layout1h).size()).as("the 11:02 tile goes once no clock can read it").isEqualTo(2);
    }

    @Test
    void shouldLeaveStateAsItIsForAnEventTypeNoFeatureLooksAt() {
        final FeatureSet itemViews = FeaturesFile.parse("""
                features:
                  - name: item_views
                    entity: item
                    event_types: [PRODUCT_VIEW]
                    aggregation: count
                    windows: [1h]
                """, "test").entity("item").orElseThrow();
        final FeatureEngine items = new FeatureEngine(itemViews);
        final EntityState state = items.newState();
        items.fold(state, event("u1", EventType.PRODUCT_VIEW, NOON.minusSeconds(60)));

        items.fold(state, event("u1", EventType.CLICK, NOON));

        assertThat(itemViews.looksAt(event("u1", EventType.CLICK, NOON))).isFalse();
        assertThat(state.newestEventTime()).as("a click is nothing to item_views").isEqualTo(NOON.minusSeconds(60).toEpochMilli());
        assertThat(items.read(state, NOON.toEpochMilli()).get("item_views_1h")).isEqualTo(1L);
    }

    @Test
    void shouldKeepOneSessionsAccumulatorPerTileForEveryReadingOfOneGapAndWidth() {
        final FeatureSet sessions = FeaturesFile.parse("""
                features:
                  - name: session_events
                    aggregation: {kind: session_events, gap_minutes: 30}
                    windows: [24h]
                  - name: session_seconds
                    aggregation: {kind: session_duration, gap_minutes: 30}
                    windows: [24h]
                  - name: sessions
                    aggregation: {kind: session_count, gap_minutes: 30}
                    windows: [24h]
                  - name: short_sessions
                    aggregation: {kind: session_count, gap_minutes: 5}
                    windows: [24h]
                """, "test").entity("user").orElseThrow();
        final FeatureEngine engine = new FeatureEngine(sessions);
        final EntityState state = engine.newState();
        for (final int minute : new int[] {0, 10, 20, 70, 71}) {
            engine.fold(state, event("u1", EventType.CLICK, NOON.plus(Duration.ofMinutes(minute))));
        }

        assertThat(sessions.layouts()).hasSize(1);
        assertThat(sessions.layouts().get(0).slots()).as("one for the 30-minute gap, one for the 5-minute gap").isEqualTo(2);
        final FeatureVector vector = engine.read(state, NOON.plus(Duration.ofMinutes(80)).toEpochMilli());
        assertThat(vector.get("session_events_24h")).isEqualTo(2L);
        assertThat(vector.get("session_seconds_24h")).isEqualTo(60.0);
        assertThat(vector.get("sessions_24h")).isEqualTo(2L);
        assertThat(vector.get("short_sessions_24h")).isEqualTo(4L);
    }

    @Test
    void shouldReadZerosForAnEntityWithoutEvents() {
        final FeatureVector vector = engine.read(engine.newState(), NOON.toEpochMilli());
        assertThat(vector.found()).isFalse();
        assertThat(vector.values()).hasSize(features.features().size()).allSatisfy((name, value) -> assertThat(value).isEqualTo(0L));
    }

    @Test
    void shouldRefuseStateWrittenByAnotherDefinition() {
        final FeatureSet other = new FeatureSet(new EntityDefinition("user", java.util.List.of(io.rollstream.engine.field.EventFields.resolve("user_id"))), java.util.List.of(new FeatureDefinition("views_5m",
                java.util.Set.of(EventType.PAGE_VIEW), io.rollstream.engine.aggregation.CountAggregation.INSTANCE,
                Window.of(Duration.ofMinutes(5)))));
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(other));
        stored.write(new FeatureEngine(other).newState());

        assertThatThrownBy(() -> new StoredEntity(new EntityStateCodec(features)).copyOf(stored).read())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another definition")
                .hasMessageContaining("rebuilt");
    }

    @Test
    void shouldPickTileWidthsThatBoundTheEdgeErrorToASixtiethOfTheWindow() {
        assertThat(TileWidths.forWindow(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(TileWidths.forWindow(Duration.ofHours(24))).isEqualTo(Duration.ofMinutes(15));
        assertThat(TileWidths.forWindow(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(TileWidths.forWindow(Duration.ofDays(30))).isEqualTo(Duration.ofHours(12));
    }
}
