package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.rollstream.engine.aggregation.Folding.result;
import static io.rollstream.engine.aggregation.Folding.resultInTiles;
import static io.rollstream.engine.aggregation.Oracles.EPSILON;
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.priced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StddevAggregationTest {

    private final Aggregation<?> stddev = Specs.aggregation("stddev", PRICE);

    @Test
    void shouldBeThePopulationStandardDeviation() {
        final List<ClickEvent> events = new ArrayList<>();
        for (final double price : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
            events.add(priced(T0, price));
        }
        assertThat(result(stddev, events)).isEqualTo(2.0);
        assertThat(resultInTiles(stddev, events, new Random(7))).isEqualTo(2.0);
    }

    @Test
    void shouldBeZeroForOneValueAndNullForNone() {
        assertThat(result(stddev, List.of(priced(T0, 19.99)))).isEqualTo(0.0);
        assertThat(result(stddev, List.of())).isNull();
        assertThat(result(stddev, List.of(TestEvents.categorized(T0, "books")))).isNull();
    }

    @Property
    void shouldBeExactlyZeroForIdenticalValuesWhateverTheTiles(@ForAll final Random random) {
        final List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(priced(T0 + i, 1234.56));
        }
        assertThat(resultInTiles(stddev, events, random)).isEqualTo(0.0);
    }

    @Property
    void shouldMatchTheExactVariance(@ForAll("eventLists") final List<ClickEvent> events) {
        assertVariance(result(stddev, events), Oracles.numbers(PRICE, events));
    }

    @Property
    void shouldMergeTilesToTheSameVariance(@ForAll("eventLists") final List<ClickEvent> events, @ForAll final Random random) {
        assertVariance(resultInTiles(stddev, events, random), Oracles.numbers(PRICE, events));
    }

    /**
     * Welford's and Chan's updates err by a few n·ε relative to the values' magnitude squared
     * (each step rounds a mean of that magnitude); compared as variances so that a spread tiny
     * next to the values is not held to an impossible relative bound. Sample instead of
     * population variance differs by variance/n, far above this for any spread that matters.
     */
    private static void assertVariance(final Object actual, final List<Double> values) {
        if (values.isEmpty()) {
            assertThat(actual).isNull();
            return;
        }
        final double largest = values.stream().mapToDouble(Math::abs).max().orElseThrow();
        final double bound = 16 * values.size() * EPSILON * largest * largest;
        final double deviation = (Double) actual;
        assertThat(deviation * deviation).isCloseTo(Oracles.exactVariance(values), within(bound));
    }

    @Provide
    Arbitrary<List<ClickEvent>> eventLists() {
        return TestEvents.eventLists();
    }
}
