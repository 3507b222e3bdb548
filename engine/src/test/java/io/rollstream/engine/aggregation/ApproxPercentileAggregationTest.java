package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.datasketches.kll.KllSketch;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.rollstream.engine.aggregation.Folding.result;
import static io.rollstream.engine.aggregation.Folding.resultInTiles;
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.priced;
import static org.assertj.core.api.Assertions.assertThat;

class ApproxPercentileAggregationTest {

    @Test
    void shouldAnswerTheInclusiveQuantile() {
        final List<ClickEvent> events = new ArrayList<>();
        for (final double price : new double[] {5, 1, 4, 2, 3}) {
            events.add(priced(T0, price));
        }
        assertThat(result(percentile(0.5, 200), events)).isEqualTo(3.0);
        assertThat(result(percentile(0.0, 200), events)).isEqualTo(1.0);
        assertThat(result(percentile(0.2, 200), events)).isEqualTo(1.0);
        assertThat(result(percentile(0.21, 200), events)).isEqualTo(2.0);
        assertThat(result(percentile(1.0, 200), events)).isEqualTo(5.0);
    }

    @Test
    void shouldBeNullWhenNoEventHadTheField() {
        assertThat(result(percentile(0.5, 200), List.of())).isNull();
        assertThat(result(percentile(0.5, 200), List.of(priced(T0, Double.NaN), TestEvents.categorized(T0, "a"))))
                .isNull();
    }

    @Property
    void shouldBeExactWhileTheSketchHoldsEveryValue(@ForAll("eventLists") final List<ClickEvent> events,
                                                    @ForAll("quantiles") final double quantile,
                                                    @ForAll final Random random) {
        final Aggregation<?> percentile = percentile(quantile, 400);
        final Double expected = exactQuantile(Oracles.numbers(PRICE, events), quantile);
        assertThat(result(percentile, events)).isEqualTo(expected);
        assertThat(resultInTiles(percentile, events, random)).isEqualTo(expected);
    }

    @Property(tries = 100)
    void shouldAnswerAValueWhoseRankIsWithinTheRankError(@ForAll @IntRange(min = 1, max = 20_000) final int n,
                                                         @ForAll("quantiles") final double quantile,
                                                         @ForAll("ks") final int k, @ForAll final Random random) {
        final List<ClickEvent> events = randomPrices(n, random);
        final Aggregation<?> percentile = percentile(quantile, k);
        assertRankWithinError((Double) result(percentile, events), events, quantile, k);
        assertRankWithinError((Double) resultInTiles(percentile, events, random), events, quantile, k);
    }

    /**
     * The answer's rank interval [#(< v), #(≤ v)] / n must reach {@code quantile} within twice
     * DataSketches' single-sided normalized rank error. That error is fitted to the 99th percentile
     * of measured errors; twice it lies several standard deviations further out, so a correct
     * sketch practically never fails here (the sketch's coin is unseeded, the seed cannot pin it),
     * while an off-by-a-percent quantile or an exclusive search does.
     */
    private static void assertRankWithinError(final double answer, final List<ClickEvent> events, final double quantile,
                                              final int k) {
        final List<Double> values = Oracles.numbers(PRICE, events);
        final double below = values.stream().filter(value -> value < answer).count() / (double) values.size();
        final double atOrBelow = values.stream().filter(value -> value <= answer).count() / (double) values.size();
        final double error = 2 * KllSketch.getNormalizedRankError(k, false);
        assertThat(quantile).isBetween(below - error, atOrBelow + error);
    }

    /** The smallest value with at least quantile × n values at or below it (quantile 0: the smallest). */
    private static Double exactQuantile(final List<Double> values, final double quantile) {
        if (values.isEmpty()) {
            return null;
        }
        final List<Double> sorted = values.stream().sorted().toList();
        final int rank = BigDecimal.valueOf(quantile).multiply(BigDecimal.valueOf(sorted.size()))
                .setScale(0, RoundingMode.CEILING).intValueExact();
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private static List<ClickEvent> randomPrices(final int n, final Random random) {
        final List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(priced(T0 + i, Math.round(random.nextGaussian() * 1e4) / 100.0));
        }
        return events;
    }

    private static Aggregation<?> percentile(final double quantile, final int k) {
        return Specs.aggregation("approx_percentile", PRICE, "quantile", quantile, "k", k);
    }

    @Provide
    Arbitrary<List<ClickEvent>> eventLists() {
        return TestEvents.eventLists();
    }

    /** The usual ones, and any with three decimals (so that quantile × n is never a hair off a whole number). */
    @Provide
    Arbitrary<Double> quantiles() {
        return Arbitraries.oneOf(Arbitraries.of(0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0),
                Arbitraries.doubles().between(0, 1).ofScale(3));
    }

    @Provide
    Arbitrary<Integer> ks() {
        return Arbitraries.of(8, 50, 200);
    }
}
