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
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.QUANTITY;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AvgAggregationTest {

    private final Aggregation<?> avg = Specs.aggregation("avg", PRICE);

    @Test
    void shouldAverageTheEventsThatHaveTheField() {
        final List<ClickEvent> events = List.of(TestEvents.event(T0, null, 1, null), TestEvents.event(T0, null, 2, null),
                TestEvents.event(T0, null, null, "books"), TestEvents.event(T0, null, 6, null));
        assertThat(result(Specs.aggregation("avg", QUANTITY), events)).isEqualTo(3.0);
    }

    @Test
    void shouldBeNullWhenNoEventHadTheField() {
        assertThat(result(avg, List.of())).isNull();
        assertThat(result(avg, List.of(TestEvents.categorized(T0, "books")))).isNull();
    }

    @Property
    void shouldBeTheExactMeanWithinOneRounding(@ForAll("eventLists") final List<ClickEvent> events) {
        assertMean(result(avg, events), Oracles.numbers(PRICE, events));
    }

    @Property
    void shouldAverageTilesToTheSameMean(@ForAll("eventLists") final List<ClickEvent> events, @ForAll final Random random) {
        assertMean(resultInTiles(avg, events, random), Oracles.numbers(PRICE, events));
    }

    /** The compensated sum's bound divided by n, plus the rounding of the division. */
    private static void assertMean(final Object actual, final List<Double> values) {
        if (values.isEmpty()) {
            assertThat(actual).isNull();
            return;
        }
        final double exact = Oracles.exactSum(values).doubleValue() / values.size();
        final double bound = 4 * EPSILON * Math.abs(exact)
                + (8.0 * values.size() + 100) * EPSILON * EPSILON * Oracles.sumOfMagnitudes(values) / values.size();
        assertThat((Double) actual).isCloseTo(exact, within(bound));
    }

    @Provide
    Arbitrary<List<ClickEvent>> eventLists() {
        return TestEvents.eventLists();
    }
}
