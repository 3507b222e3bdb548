package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.rollstream.engine.aggregation.Folding.result;
import static io.rollstream.engine.aggregation.Folding.resultInTiles;
import static io.rollstream.engine.aggregation.Folding.resultThroughStorage;
import static io.rollstream.engine.aggregation.TestEvents.CATEGORY;
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.QUANTITY;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.categorized;
import static org.assertj.core.api.Assertions.assertThat;

class LastKAggregationTest {

    @Test
    void shouldKeepTheMostRecentDistinctValuesFirst() {
        final List<ClickEvent> events = List.of(categorized(T0, "books"), categorized(T0 + 1, "toys"),
                categorized(T0 + 2, "books"), categorized(T0 + 3, "garden"), categorized(T0 + 4, "music"));
        assertThat(result(Specs.aggregation("last_k", CATEGORY, "k", 3), events))
                .isEqualTo(List.of("music", "garden", "books"));
    }

    @Test
    void shouldRankValuesByTheirLatestTimeNotTheirArrival() {
        final List<ClickEvent> events = List.of(categorized(T0 + 9, "books"), categorized(T0 + 1, "toys"),
                categorized(T0 + 5, "books"), categorized(T0 + 7, "toys"));
        assertThat(result(Specs.aggregation("last_k", CATEGORY), events)).isEqualTo(List.of("books", "toys"));
    }

    @Test
    void shouldBreakTiesAtTheSameMillisecondByValueAscending() {
        final List<ClickEvent> events = List.of(categorized(T0, "c"), categorized(T0, "a"), categorized(T0, "b"));
        assertThat(result(Specs.aggregation("last_k", CATEGORY, "k", 2), events)).isEqualTo(List.of("a", "b"));
    }

    @Test
    void shouldKeepNumbersAsTheirShortestText() {
        final List<ClickEvent> events = List.of(TestEvents.event(T0, 2.5, 2, null), TestEvents.event(T0 + 1, 3.0, 10, null));
        assertThat(result(Specs.aggregation("last_k", QUANTITY), events)).isEqualTo(List.of("10", "2"));
        assertThat(result(Specs.aggregation("last_k", PRICE), events)).isEqualTo(List.of("3", "2.5"));
    }

    @Test
    void shouldBeAnEmptyListWhenNoEventHadTheField() {
        assertThat(result(Specs.aggregation("last_k", CATEGORY), List.of())).isEqualTo(List.of());
        assertThat(result(Specs.aggregation("last_k", CATEGORY), List.of(TestEvents.priced(T0, 1.0)))).isEqualTo(List.of());
    }

    @Property
    void shouldMatchTheDistinctValuesSortedByLatestTime(@ForAll("eventLists") final List<ClickEvent> events,
                                                        @ForAll @IntRange(min = 1, max = 8) final int k) {
        assertThat(result(Specs.aggregation("last_k", CATEGORY, "k", k), events)).isEqualTo(expected(events, k));
    }

    @Property
    void shouldBeExactWhateverTheTiles(@ForAll("eventLists") final List<ClickEvent> events,
                                       @ForAll @IntRange(min = 1, max = 8) final int k, @ForAll final Random random) {
        final Aggregation<?> lastK = Specs.aggregation("last_k", CATEGORY, "k", k);
        assertThat(resultInTiles(lastK, events, random)).isEqualTo(expected(events, k));
        assertThat(resultThroughStorage(lastK, events)).isEqualTo(expected(events, k));
    }

    private static List<String> expected(final List<ClickEvent> events, final int k) {
        final Map<String, Long> latest = new HashMap<>();
        for (final ClickEvent event : events) {
            if (event.getCategory() != null) {
                latest.merge(event.getCategory(), event.getEventTime().toEpochMilli(), Math::max);
            }
        }
        return latest.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .map(Map.Entry::getKey)
                .toList();
    }

    @Provide
    Arbitrary<List<ClickEvent>> eventLists() {
        return TestEvents.eventLists();
    }
}
