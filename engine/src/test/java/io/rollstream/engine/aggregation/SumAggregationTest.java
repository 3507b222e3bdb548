package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static io.rollstream.engine.aggregation.Folding.result;
import static io.rollstream.engine.aggregation.Folding.resultInTiles;
import static io.rollstream.engine.aggregation.Oracles.EPSILON;
import static io.rollstream.engine.aggregation.TestEvents.EVENT_TIME;
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.QUANTITY;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.priced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SumAggregationTest {

    private final Aggregation<?> sum = Specs.aggregation("sum", PRICE);

    @Test
    void shouldKeepSmallTermsThatCancellingMagnitudesWouldSwallow() {
        // Plain double addition answers 0.0: 1e16 + 1 rounds back to 1e16.
        assertThat(result(sum, List.of(priced(T0, 1e16), priced(T0, 1.0), priced(T0, -1e16)))).isEqualTo(1.0);
    }

    @Test
    void shouldBeZeroWhenNoEventHadTheField() {
        assertThat(result(sum, List.of())).isEqualTo(0.0);
        assertThat(result(sum, List.of(TestEvents.categorized(T0, "books"), priced(T0, Double.NaN)))).isEqualTo(0.0);
    }

    @Test
    void shouldHaveNoValueOnceTheSumLeavesTheRangeOfADouble() {
        final List<ClickEvent> absurd = List.of(priced(T0, 1e308), priced(T0, 1e308));

        assertThat(result(sum, absurd)).isNull();
        assertThat(result(Specs.aggregation("avg", PRICE), absurd)).isNull();
        assertThat(result(Specs.aggregation("stddev", PRICE), List.of(priced(T0, 1e200), priced(T0, -1e200)))).isNull();
        assertThat(result(Specs.aggregation("stddev", PRICE), List.of(priced(T0, 1e308), priced(T0, -1e308)))).isNull();
        assertThat(result(sum, List.of(priced(T0, 1e308), priced(T0, -1e308), priced(T0, 2.5)))).isEqualTo(2.5);
    }

    @Test
    void shouldSumTimestampsAsEpochMillis() {
        assertThat(result(Specs.aggregation("sum", EVENT_TIME), List.of(priced(T0, 1), priced(T0 + 5, 1))))
                .isEqualTo(2.0 * T0 + 5);
    }

    @Property
    void shouldBeWithinOneRoundingOfTheExactSum(@ForAll("eventLists") final List<ClickEvent> events) {
        assertWithinCompensatedError((Double) result(sum, events), Oracles.numbers(PRICE, events));
    }

    @Property
    void shouldSumTilesToTheExactSumToo(@ForAll("eventLists") final List<ClickEvent> events, @ForAll final Random random) {
        assertWithinCompensatedError((Double) resultInTiles(sum, events, random), Oracles.numbers(PRICE, events));
    }

    @Property
    void shouldSumWholeNumbersIdenticallyWhateverTheTiles(@ForAll("eventLists") final List<ClickEvent> events,
                                                          @ForAll final Random random) {
        final Aggregation<?> quantities = Specs.aggregation("sum", QUANTITY);
        final double expected = Oracles.numbers(QUANTITY, events).stream().mapToDouble(Double::doubleValue).sum();
        assertThat(result(quantities, events)).isEqualTo(expected);
        assertThat(resultInTiles(quantities, events, random)).isEqualTo(expected);
    }

    /**
     * Neumaier summation is off by at most one rounding of the true sum plus a second-order term
     * in n·ε²·Σ|x|; merges add a few operations per tile, covered by the generous constant.
     * Naive summation fails this as soon as magnitudes cancel.
     */
    static void assertWithinCompensatedError(final double actual, final List<Double> values) {
        final double exact = Oracles.exactSum(values).doubleValue();
        final double bound = 2 * EPSILON * Math.abs(exact)
                + (8.0 * values.size() + 100) * EPSILON * EPSILON * Oracles.sumOfMagnitudes(values);
        assertThat(actual).isCloseTo(exact, within(bound));
    }

    @Provide
    Arbitrary<List<ClickEvent>> eventLists() {
        return TestEvents.eventLists();
    }
}
