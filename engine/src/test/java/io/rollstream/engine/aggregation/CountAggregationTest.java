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
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.priced;
import static org.assertj.core.api.Assertions.assertThat;

class CountAggregationTest {

    @Test
    void shouldCountEveryEventWithoutAField() {
        assertThat(result(CountAggregation.INSTANCE, List.of(priced(T0, 1.0), TestEvents.event(T0, null, null, null))))
                .isEqualTo(2L);
    }

    @Test
    void shouldBeZeroWhenNothingWasCounted() {
        assertThat(result(CountAggregation.INSTANCE, List.of())).isEqualTo(0L);
        assertThat(result(Specs.aggregation("count", PRICE), List.of(TestEvents.categorized(T0, "books"))))
                .isEqualTo(0L);
    }

    @Property
    void shouldCountOnlyEventsThatHaveTheField(@ForAll("eventLists") final List<ClickEvent> events) {
        assertThat(result(Specs.aggregation("count", PRICE), events))
                .isEqualTo((long) Oracles.values(PRICE, events).size());
    }

    @Property
    void shouldCountTheSameInTilesAsInOneAccumulator(@ForAll("eventLists") final List<ClickEvent> events,
                                                     @ForAll final Random random) {
        final Aggregation<?> count = Specs.aggregation("count", PRICE);
        assertThat(resultInTiles(count, events, random)).isEqualTo(result(count, events));
        assertThat(resultInTiles(CountAggregation.INSTANCE, events, random)).isEqualTo((long) events.size());
    }

    @Provide
    Arbitrary<List<ClickEvent>> eventLists() {
        return TestEvents.eventLists();
    }
}
