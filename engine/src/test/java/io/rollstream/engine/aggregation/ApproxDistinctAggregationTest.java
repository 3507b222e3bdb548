package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;
import org.apache.datasketches.hll.HllSketch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.rollstream.engine.aggregation.Folding.result;
import static io.rollstream.engine.aggregation.Folding.resultInTiles;
import static io.rollstream.engine.aggregation.TestEvents.CATEGORY;
import static io.rollstream.engine.aggregation.TestEvents.QUANTITY;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.categorized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * HLL hashing is deterministic, so these properties run with a fixed seed: the 3-standard-error
 * checks then pass or fail for good, instead of failing about 0.3% of estimation-mode tries by
 * design under a fresh seed.
 */
class ApproxDistinctAggregationTest {

    @Test
    void shouldCountTheEmptyStringAsAValue() {
        final List<ClickEvent> events = List.of(categorized(T0, ""), categorized(T0, "books"), categorized(T0, ""));
        assertThat(result(Specs.aggregation("approx_distinct", CATEGORY), events)).isEqualTo(2L);
    }

    @Test
    void shouldCountNumbersByTheirValue() {
        final List<ClickEvent> events = List.of(TestEvents.event(T0, null, 2, null), TestEvents.event(T0, null, 2, null),
                TestEvents.event(T0, null, 3, null));
        assertThat(result(Specs.aggregation("approx_distinct", QUANTITY), events)).isEqualTo(2L);
    }

    @Test
    void shouldBeZeroWhenNoEventHadTheField() {
        assertThat(result(Specs.aggregation("approx_distinct", CATEGORY), List.of())).isEqualTo(0L);
        assertThat(result(Specs.aggregation("approx_distinct", CATEGORY), List.of(TestEvents.priced(T0, 1))))
                .isEqualTo(0L);
    }

    @Property(tries = 200, seed = "20261121")
    void shouldCountExactlyWhileTheSketchIsSparse(@ForAll @IntRange(max = 300) final int distinct,
                                                  @ForAll final Random random) {
        final List<ClickEvent> events = events(distinct, random);
        final Aggregation<?> approxDistinct = Specs.aggregation("approx_distinct", CATEGORY);
        assertThat(result(approxDistinct, events)).isEqualTo((long) distinct);
        assertThat(resultInTiles(approxDistinct, events, random)).isEqualTo((long) distinct);
    }

    @Property(tries = 60, seed = "20261121")
    void shouldEstimateWithinThreeStandardErrors(@ForAll @IntRange(max = 20_000) final int distinct,
                                                 @ForAll("lgKs") final int lgK, @ForAll final Random random) {
        final List<ClickEvent> events = events(distinct, random);
        final Aggregation<?> approxDistinct = Specs.aggregation("approx_distinct", CATEGORY, "lg_k", lgK);
        assertWithinThreeStandardErrors((Long) result(approxDistinct, events), distinct, lgK);
    }

    @Property(tries = 60, seed = "20261121")
    void shouldEstimateMergedTilesWithinThreeStandardErrors(@ForAll @IntRange(max = 20_000) final int distinct,
                                                            @ForAll("lgKs") final int lgK, @ForAll final Random random) {
        final List<ClickEvent> events = events(distinct, random);
        final Aggregation<?> approxDistinct = Specs.aggregation("approx_distinct", CATEGORY, "lg_k", lgK);
        assertWithinThreeStandardErrors((Long) resultInTiles(approxDistinct, events, random), distinct, lgK);
    }

    /** Uses the merged-sketch (non-HIP) error, the larger of the two, from DataSketches' own tables. */
    private static void assertWithinThreeStandardErrors(final long estimate, final int distinct, final int lgK) {
        final double relativeError = Math.max(HllSketch.getRelErr(true, true, lgK, 3),
                Math.abs(HllSketch.getRelErr(false, true, lgK, 3)));
        assertThat((double) estimate).isCloseTo(distinct, within(relativeError * distinct));
    }

    @Provide
    Arbitrary<Integer> lgKs() {
        return Arbitraries.of(4, 8, 10, 12);
    }

    /** Each of {@code distinct} values one to three times, in random order. */
    private static List<ClickEvent> events(final int distinct, final Random random) {
        final List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            final int repeats = 1 + random.nextInt(3);
            for (int r = 0; r < repeats; r++) {
                events.add(categorized(T0 + random.nextInt(1000), "item-" + i));
            }
        }
        Collections.shuffle(events, random);
        return events;
    }
}
