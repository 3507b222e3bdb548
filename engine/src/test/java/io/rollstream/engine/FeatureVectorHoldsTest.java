package io.rollstream.engine;

import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.engine.testing.ShoppingEvents;
import io.rollstream.schemas.EventType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FeatureVector#holdsUntil()}: reading the same state at any instant before it gives the same
 * value for every feature but the read-time ones; a cached answer relies on exactly that.
 */
class FeatureVectorHoldsTest {

    private static final long NOON = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();

    @Property(tries = 300)
    void shouldReadTheSameStoredValuesAtEveryInstantBeforeHoldsUntil(
            @ForAll final long seed,
            @ForAll @IntRange(min = 0, max = 60) final int events,
            @ForAll @LongRange(min = -3_600_000, max = 40L * 86_400_000) final long readAfterNoon) {
        for (final FeatureSet set : FeaturesFile.loadDefault().entities()) {
            final FeatureEngine engine = new FeatureEngine(set);
            final EntityState state = engine.newState();
            final Random random = new Random(seed);
            for (int i = 0; i < events; i++) {
                // Mostly the last hours, some days back, a few minutes ahead (late and early events).
                final long back = random.nextInt(4) == 0 ? random.nextLong(30L * 86_400_000) : random.nextLong(3 * 3_600_000);
                engine.fold(state, ShoppingEvents.random(random, "u-1", NOON - back + random.nextLong(300_000), 50, 8));
            }
            final long asOf = NOON + readAfterNoon;
            final FeatureVector first = engine.read(state, asOf);
            assertThat(first.holdsUntil()).isGreaterThan(asOf);

            final long span = Math.min(first.holdsUntil() - asOf, 60L * 86_400_000);
            for (final long offset : new long[] {1, span / 2, span - 1, random.nextLong(span)}) {
                final long later = asOf + Math.min(offset, span - 1);
                assertSameStoredValues(set, first, engine.read(state, later), later);
            }
        }
    }

    @Test
    void shouldHoldUntilTheOldestMergedTileLeavesTheWindow() {
        final FeatureSet set = UserActivityFeatures.featureSet();
        final FeatureEngine engine = new FeatureEngine(set);
        final EntityState state = engine.newState();
        // 1h windows have one-minute tiles: the 11:30:20 event's tile starts at 11:30 and leaves at 12:31.
        engine.fold(state, Events.event("u1", EventType.CLICK, Instant.ofEpochMilli(NOON - Duration.ofMinutes(29).plusSeconds(40).toMillis())));
        final FeatureVector read = engine.read(state, NOON);
        final long leaves = NOON + Duration.ofMinutes(31).toMillis();

        assertThat(read.holdsUntil()).isLessThanOrEqualTo(leaves);
        assertThat(engine.read(state, leaves - 1).get("click_count_1h")).isEqualTo(1L);
        assertThat(engine.read(state, leaves).get("click_count_1h")).isEqualTo(0L);
    }

    @Test
    void shouldHoldUntilAnEventAheadOfTheReadEntersTheWindow() {
        final FeatureSet set = UserActivityFeatures.featureSet();
        final FeatureEngine engine = new FeatureEngine(set);
        final EntityState state = engine.newState();
        engine.fold(state, Events.event("u1", EventType.CLICK, Instant.ofEpochMilli(NOON + 90_000)));

        final FeatureVector read = engine.read(state, NOON);

        assertThat(read.get("click_count_1h")).isEqualTo(0L);
        assertThat(read.holdsUntil()).isEqualTo(NOON + 60_000);
        assertThat(engine.read(state, NOON + 60_000).get("click_count_1h")).isEqualTo(1L);
    }

    @Test
    void shouldReadAtTheLastInstantThereIs() {
        final FeatureEngine engine = new FeatureEngine(UserActivityFeatures.featureSet());
        final EntityState state = engine.newState();
        engine.fold(state, Events.event("u1", EventType.CLICK, Instant.ofEpochMilli(NOON)));

        assertThat(engine.read(state, Long.MAX_VALUE).holdsUntil()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldHoldForeverForAnEntityWithNoEvents() {
        final FeatureEngine engine = new FeatureEngine(UserActivityFeatures.featureSet());

        assertThat(engine.read(engine.newState(), NOON).holdsUntil()).isEqualTo(Long.MAX_VALUE);
    }

    private static void assertSameStoredValues(final FeatureSet set, final FeatureVector expected, final FeatureVector actual,
                                               final long at) {
        final Set<String> readTime = new HashSet<>();
        for (final DerivedFeature derived : set.derived()) {
            if (derived.dependsOnReadTime() || derived.inputs().stream().anyMatch(readTime::contains)) {
                readTime.add(derived.name());
            }
        }
        // KLL merges with an unseeded coin: two reads of the same tiles may pick neighbouring values.
        final Set<String> percentiles = new HashSet<>();
        for (final FeatureDefinition feature : set.features()) {
            if (isPercentile(feature)) {
                percentiles.add(feature.name());
            }
        }
        for (final Map.Entry<String, Object> feature : expected.values().entrySet()) {
            if (!readTime.contains(feature.getKey()) && !percentiles.contains(feature.getKey())) {
                assertThat(actual.get(feature.getKey()))
                        .as("%s of %s read at %d, which holds until %d, read again at %d", feature.getKey(), set.entity(),
                                expected.asOf(), expected.holdsUntil(), at)
                        .isEqualTo(feature.getValue());
            }
        }
    }


    /** An approximate percentile, known by its kind's name (the aggregation classes are the engine's own). */
    private static boolean isPercentile(final FeatureDefinition feature) {
        return feature.aggregation().toString().startsWith("approx_percentile(");
    }
}
