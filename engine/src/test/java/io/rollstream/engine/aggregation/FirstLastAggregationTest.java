package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static io.rollstream.engine.aggregation.Folding.result;
import static io.rollstream.engine.aggregation.Folding.resultInTiles;
import static io.rollstream.engine.aggregation.TestEvents.CATEGORY;
import static io.rollstream.engine.aggregation.TestEvents.EVENT_TIME;
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.QUANTITY;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.categorized;
import static io.rollstream.engine.aggregation.TestEvents.priced;
import static org.assertj.core.api.Assertions.assertThat;

class FirstLastAggregationTest {

    private static final List<EventField> FIELDS = List.of(CATEGORY, PRICE, QUANTITY, EVENT_TIME);

    @Test
    void shouldPickTheValueOfTheEarliestAndLatestEventNotTheFirstOrLastToArrive() {
        final List<ClickEvent> events = List.of(categorized(T0 + 5, "toys"), categorized(T0, "books"),
                categorized(T0 + 9, "garden"), categorized(T0 + 2, "music"));
        assertThat(result(Specs.aggregation("first", CATEGORY), events)).isEqualTo("books");
        assertThat(result(Specs.aggregation("last", CATEGORY), events)).isEqualTo("garden");
    }

    @Test
    void shouldBreakTiesAtTheSameMillisecondByValue() {
        final List<ClickEvent> events = List.of(categorized(T0, "b"), categorized(T0, "c"), categorized(T0, "a"));
        assertThat(result(Specs.aggregation("first", CATEGORY), events)).isEqualTo("a");
        assertThat(result(Specs.aggregation("last", CATEGORY), events)).isEqualTo("c");
        final List<ClickEvent> prices = List.of(priced(T0, 10.0), priced(T0, 9.5));
        assertThat(result(Specs.aggregation("first", PRICE), prices)).isEqualTo(9.5);
        assertThat(result(Specs.aggregation("last", PRICE), prices)).isEqualTo(10.0);
    }

    @Test
    void shouldAnswerInTheFieldsOwnType() {
        final List<ClickEvent> events = List.of(TestEvents.event(T0, 19.99, 3, "books"));
        assertThat(result(Specs.aggregation("last", PRICE), events)).isEqualTo(19.99);
        assertThat(result(Specs.aggregation("last", QUANTITY), events)).isEqualTo(3.0);
        assertThat(result(Specs.aggregation("last", EVENT_TIME), events)).isEqualTo(T0);
        assertThat(result(Specs.aggregation("first", CATEGORY), events)).isEqualTo("books");
    }

    @Test
    void shouldBeNullWhenNoEventHadTheField() {
        assertThat(result(Specs.aggregation("first", CATEGORY), List.of())).isNull();
        assertThat(result(Specs.aggregation("last", PRICE), List.of(categorized(T0, "books"), priced(T0, Double.NaN))))
                .isNull();
    }

    @Property
    void shouldPickTheValueAtTheEarliestAndLatestTime(@ForAll("eventLists") final List<ClickEvent> events) {
        for (final EventField field : FIELDS) {
            assertThat(result(Specs.aggregation("first", field), events)).as("first(%s)", field.name())
                    .isEqualTo(expected(field, events, false));
            assertThat(result(Specs.aggregation("last", field), events)).as("last(%s)", field.name())
                    .isEqualTo(expected(field, events, true));
        }
    }

    @Property
    void shouldPickTheSameValueFromTiles(@ForAll("eventLists") final List<ClickEvent> events, @ForAll final Random random) {
        for (final EventField field : FIELDS) {
            for (final String kind : List.of("first", "last")) {
                final Aggregation<?> aggregation = Specs.aggregation(kind, field);
                assertThat(resultInTiles(aggregation, events, random)).as(aggregation.toString())
                        .isEqualTo(result(aggregation, events));
            }
        }
    }

    /** Sorts the (time, value) pairs and takes an end: ties by value, strings lexicographically, numbers numerically. */
    private static Object expected(final EventField field, final List<ClickEvent> events, final boolean last) {
        record Seen(long time, Object value) {
        }
        @SuppressWarnings("unchecked")
        final Comparator<Object> byValue = (a, b) -> ((Comparable<Object>) a).compareTo(b);
        final Comparator<Seen> order = Comparator.comparingLong(Seen::time).thenComparing(Seen::value, byValue);
        return events.stream()
                .filter(event -> !Oracles.values(field, List.of(event)).isEmpty())
                .map(event -> new Seen(event.getEventTime().toEpochMilli(), field.value(event)))
                .max(last ? order : order.reversed())
                .map(Seen::value)
                .orElse(null);
    }

    @Provide
    Arbitrary<List<ClickEvent>> eventLists() {
        return TestEvents.eventLists();
    }
}
