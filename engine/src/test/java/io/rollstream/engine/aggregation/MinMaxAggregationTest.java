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
import static io.rollstream.engine.aggregation.TestEvents.EVENT_TIME;
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.priced;
import static org.assertj.core.api.Assertions.assertThat;

class MinMaxAggregationTest {

    private final Aggregation<?> min = Specs.aggregation("min", PRICE);
    private final Aggregation<?> max = Specs.aggregation("max", PRICE);

    @Test
    void shouldSkipNaNAndInfinityAndBeNullWhenNothingIsLeft() {
        final List<ClickEvent> events = List.of(priced(T0, Double.NaN), priced(T0, Double.NEGATIVE_INFINITY));
        assertThat(result(min, events)).isNull();
        assertThat(result(max, List.of())).isNull();
        assertThat(result(max, List.of(priced(T0, Double.NaN), priced(T0, 3.5)))).isEqualTo(3.5);
    }

    @Test
    void shouldOrderNegativeZeroBeforeZeroWhateverTheArrivalOrder() {
        assertThat(result(min, List.of(priced(T0, 0.0), priced(T0, -0.0)))).isEqualTo(-0.0);
        assertThat(result(max, List.of(priced(T0, 0.0), priced(T0, -0.0)))).isEqualTo(0.0);
    }

    @Test
    void shouldAnswerTimestampsAsEpochMillisInADouble() {
        assertThat(result(Specs.aggregation("max", EVENT_TIME), List.of(priced(T0 + 7, 1), priced(T0, 1))))
                .isEqualTo((double) (T0 + 7));
    }

    @Property
    void shouldFindTheSmallestAndLargestValue(@ForAll("eventLists") final List<ClickEvent> events) {
        final List<Double> values = Oracles.numbers(PRICE, events);
        assertThat(result(min, events)).isEqualTo(values.stream().min(Double::compare).orElse(null));
        assertThat(result(max, events)).isEqualTo(values.stream().max(Double::compare).orElse(null));
    }

    @Property
    void shouldFindTheSameExtremesInTiles(@ForAll("eventLists") final List<ClickEvent> events, @ForAll final Random random) {
        assertThat(resultInTiles(min, events, random)).isEqualTo(result(min, events));
        assertThat(resultInTiles(max, events, random)).isEqualTo(result(max, events));
    }

    @Provide
    Arbitrary<List<ClickEvent>> eventLists() {
        return TestEvents.eventLists();
    }
}
