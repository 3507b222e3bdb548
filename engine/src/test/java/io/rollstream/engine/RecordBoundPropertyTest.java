package io.rollstream.engine;

import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.engine.io.ByteWriter;
import io.rollstream.engine.tile.TileLayout;
import io.rollstream.engine.tile.TileSeries;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No record the codec writes is larger than {@link EntityStateCodec#maxRecordBytes}, whatever
 * valid events come: texts at and far beyond the cap (with surrogate pairs across it), many
 * distinct values, bursts into one tile, times spread over every tile of the longest window,
 * late events into sealed tiles, jumps that evict everything, and events ahead of readers. The
 * entity is written after every commit-sized batch, as the topology writes it. On the way the
 * parts the bound is built from are checked too: tiles per layout, each tile stored alone, each
 * accumulator of a changed tile.
 */
class RecordBoundPropertyTest {

    private static final long START = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final long SECOND = 1_000;
    private static final long HOUR = 3_600_000;
    private static final long DAY = 24 * HOUR;
    private static final EventType[] TYPES = {EventType.PAGE_VIEW, EventType.PRODUCT_VIEW, EventType.CLICK,
            EventType.ADD_TO_CART, EventType.REMOVE_FROM_CART, EventType.PURCHASE, EventType.SEARCH};
    private static final double[] NUMBERS = {-2.2250738585072014E-308, -Double.MAX_VALUE, Double.MAX_VALUE, 0.0, -0.0,
            19.99, 1e15, Double.NaN};

    /** How the time of the next event relates to the newest so far. */
    enum Move {
        /** Within a second of the newest: many events into one tile. */
        BURST,
        /** Minutes on. */
        ON,
        /** Up to 12 hours on: across the tiles of the longest window. */
        SPREAD,
        /** Up to 31 days back: into sealed tiles, or too old for any. */
        LATE,
        /** Weeks on: every windowed tile leaves. */
        JUMP
    }

    /** What a text field of the event holds. */
    enum Text {
        ABSENT, EMPTY, SHORT, ASCII_AT_CAP, PAIR_ACROSS_CAP, THREE_BYTE_LONG, EMOJI_LONG
    }

    /** One event of a history, and whether a commit follows it. */
    record Step(Move move, long amount, Text text, int distinct, int number, boolean commits) {
    }

    @Property(tries = 60)
    void shouldWriteNoRecordLargerThanTheBoundOfTheDefaultFeatures(@ForAll("histories") final List<Step> history,
                                                                   @ForAll("aheads") final Duration ahead) {
        for (final FeatureSet set : FeaturesFile.loadDefault().entities()) {
            assertEveryRecordWithinBound(set, ahead, history);
        }
    }

    @Property(tries = 30)
    void shouldWriteNoRecordLargerThanTheBoundOfAFileWithLargeParameters(@ForAll("largeFiles") final FeatureSet set,
                                                                          @ForAll("histories") final List<Step> history,
                                                                          @ForAll("aheads") final Duration ahead) {
        assertEveryRecordWithinBound(set, ahead, history);
    }

    private static void assertEveryRecordWithinBound(final FeatureSet set, final Duration ahead, final List<Step> history) {
        final FeatureEngine engine = new FeatureEngine(set, ahead);
        final EntityStateCodec codec = new EntityStateCodec(set);
        final long bound = codec.maxRecordBytes(ahead);
        final EntityState state = engine.newState();
        long newest = START;
        for (final Step step : history) {
            final long time = step.move() == Move.LATE ? newest - step.amount() : newest + step.amount();
            newest = Math.max(newest, time);
            engine.fold(state, event(step, time));
            if (step.commits()) {
                assertWritesWithinBound(set, codec, state, bound, ahead);
            }
        }
        assertWritesWithinBound(set, codec, state, bound, ahead);
    }

    private static void assertWritesWithinBound(final FeatureSet set, final EntityStateCodec codec, final EntityState state,
                                                final long bound, final Duration ahead) {
        final boolean[][] changed = StateFootprint.changedTiles(state, set);
        for (int l = 0; l < set.layouts().size(); l++) {
            final TileLayout layout = set.layouts().get(l);
            final TileSeries series = state.series(l);
            assertThat((long) series.size()).as("tiles of width %d", layout.widthMs())
                    .isLessThanOrEqualTo(layout.maxTiles(ahead.toMillis()));
            for (int t = 0; t < series.size(); t++) {
                if (changed[l][t]) {
                    assertAccumulatorsWithinBound(set, layout, series, t);
                }
            }
        }
        codec.writeChanges(state, new EntityStateCodec.Records() {
            @Override
            public void tile(final int layout, final long tileStart, final byte[] image) {
                assertThat((long) image.length).as("tile of layout %d", layout)
                        .isLessThanOrEqualTo(codec.maxTileBytes(layout)).isLessThanOrEqualTo(bound);
            }

            @Override
            public void head(final byte[] head) {
                assertThat((long) head.length).as("head of '%s'", set.entity()).isLessThanOrEqualTo(bound);
            }

            @Override
            public void tileDeleted(final int layout, final long tileStart) {
            }
        });
    }

    private static void assertAccumulatorsWithinBound(final FeatureSet set, final TileLayout layout, final TileSeries series,
                                                      final int tile) {
        final Object[] slots = series.slotsAt(tile);
        for (int s = 0; s < slots.length; s++) {
            if (slots[s] == null) {
                continue;
            }
            final FeatureDefinition feature = set.features().get(layout.slotFeatures()[s]);
            final ByteWriter out = new ByteWriter(256);
            try {
                feature.write(slots[s], out, series.startAt(tile));
            } catch (final IOException e) {
                throw new IllegalStateException(e);
            }
            assertThat((long) out.size()).as("%s", feature.aggregation())
                    .isLessThanOrEqualTo(feature.aggregation().maxEncodedBytes(layout.widthMs()));
        }
    }

    private static ClickEvent event(final Step step, final long time) {
        final EventType type = TYPES[Math.floorMod(step.distinct(), TYPES.length)];
        return ClickEvent.newBuilder()
                .setEventId("e-" + step.distinct())
                .setEventType(type)
                .setUserId("u1")
                .setEventTime(Instant.ofEpochMilli(time))
                .setItemId(text(step.text(), step.distinct()))
                .setCategory(text(step.text(), step.distinct() / 3))
                .setSearchQuery(text(step.text(), step.distinct() / 7))
                .setPageUrl(text(step.text(), step.distinct() + 1))
                .setReferrer(text(step.text(), step.distinct() + 2))
                .setDevice(text(step.text(), step.distinct() % 5))
                .setPrice(step.number() < NUMBERS.length ? NUMBERS[step.number()] : step.number() / 100.0)
                .setQuantity(step.number() % 7 == 0 ? null : step.number() % 1000)
                .setProperties(Map.of())
                .build();
    }

    /** A text of the given shape, distinct for every {@code distinct}. */
    private static String text(final Text shape, final int distinct) {
        final String id = Integer.toString(distinct);
        return switch (shape) {
            case ABSENT -> null;
            case EMPTY -> "";
            case SHORT -> "v" + distinct % 20;
            case ASCII_AT_CAP -> id + "a".repeat(256 - id.length());
            // A surrogate pair starting at byte 255: the cut must drop it whole.
            case PAIR_ACROSS_CAP -> id + "b".repeat(255 - id.length()) + "😀" + "tail";
            case THREE_BYTE_LONG -> id + "日".repeat(200 + distinct % 1000);
            case EMOJI_LONG -> id + "😀".repeat(100 + distinct % 2000);
        };
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        // A jump is rare, so that between two of them the windows fill.
        final Arbitrary<Tuple.Tuple2<Move, Long>> moves = Arbitraries.frequencyOf(
                Tuple.of(120, Arbitraries.longs().between(0, SECOND).map(ms -> Tuple.of(Move.BURST, ms))),
                Tuple.of(60, Arbitraries.longs().between(0, 15 * 60 * SECOND).map(ms -> Tuple.of(Move.ON, ms))),
                Tuple.of(40, Arbitraries.longs().between(0, 12 * HOUR).map(ms -> Tuple.of(Move.SPREAD, ms))),
                Tuple.of(40, Arbitraries.longs().between(0, 31 * DAY).map(ms -> Tuple.of(Move.LATE, ms))),
                Tuple.of(1, Arbitraries.longs().between(20 * DAY, 60 * DAY).map(ms -> Tuple.of(Move.JUMP, ms))));
        // Mostly values never seen before, some repeating: sketches fill and purge.
        final Arbitrary<Integer> distinct = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 1_000_000)),
                Tuple.of(1, Arbitraries.integers().between(0, 30)));
        final Arbitrary<Step> steps = Combinators.combine(moves, Arbitraries.of(Text.class), distinct,
                        Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(0, 40))
                .as((move, text, value, number, commit) -> new Step(move.get1(), move.get2(), text, value, number,
                        commit == 0));
        return steps.list().ofMinSize(1).ofMaxSize(3_000).withSizeDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<Duration> aheads() {
        return Arbitraries.of(Duration.ZERO, Duration.ofMinutes(10), Duration.ofHours(1));
    }

    /**
     * A file whose parameters are large, but whose bound fits the limit so that it loads: long
     * lists of text on fine and lifetime tiles, big frequent-items tables and sketches, sessions
     * with a one-minute gap over a lifetime, and texts kept by first and last.
     */
    @Provide
    Arbitrary<FeatureSet> largeFiles() {
        return Combinators.combine(
                        Arbitraries.integers().between(50, 200),
                        Arbitraries.of(128, 256),
                        Arbitraries.integers().between(10, 14),
                        Arbitraries.integers().between(100, 1_000),
                        Arbitraries.integers().between(1, 5))
                .as((lastK, mapSize, lgK, kllK, gap) -> FeaturesFile.parse("""
                        features:
                          - name: views
                            aggregation: count
                            windows: [1m, 5m]
                          - name: recent_items
                            field: item_id
                            aggregation: {kind: last_k, k: %d}
                            windows: [5m, lifetime]
                          - name: top_categories
                            field: category
                            aggregation: {kind: top_k, k: 20, max_map_size: %d}
                            windows: [1h, 7d]
                          - name: distinct_queries
                            field: search_query
                            aggregation: {kind: approx_distinct, lg_k: %d}
                            windows: [24h]
                          - name: median_price
                            field: price
                            aggregation: {kind: approx_percentile, quantile: 0.5, k: %d}
                            windows: [30d]
                          - name: sessions
                            aggregation: {kind: session_count, gap_minutes: %d}
                            windows: [30d, lifetime]
                          - name: last_page
                            field: page_url
                            aggregation: last
                            windows: [1m]
                          - name: first_referrer
                            field: referrer
                            aggregation: first
                            windows: [lifetime]
                        """.formatted(lastK, mapSize, lgK, kllK, gap), "large.yaml").entities().getFirst());
    }
}
