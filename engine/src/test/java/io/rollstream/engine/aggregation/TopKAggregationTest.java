package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.datasketches.frequencies.FrequentItemsSketch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.rollstream.engine.aggregation.Folding.result;
import static io.rollstream.engine.aggregation.Folding.resultInTiles;
import static io.rollstream.engine.aggregation.Folding.resultThroughStorage;
import static io.rollstream.engine.aggregation.TestEvents.CATEGORY;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.categorized;
import static org.assertj.core.api.Assertions.assertThat;

class TopKAggregationTest {

    @Test
    void shouldRankTheMostFrequentFirstWithTiesByValue() {
        final List<ClickEvent> events = new ArrayList<>();
        for (final String category : List.of("toys", "books", "toys", "garden", "books", "toys", "music")) {
            events.add(categorized(T0, category));
        }
        assertThat(result(Specs.aggregation("top_k", CATEGORY, "k", 3), events)).isEqualTo(List.of(
                entry("toys", 3), entry("books", 2), entry("garden", 1)));
    }

    @Test
    void shouldBeAnEmptyListWhenNoEventHadTheField() {
        assertThat(result(Specs.aggregation("top_k", CATEGORY), List.of())).isEqualTo(List.of());
        assertThat(result(Specs.aggregation("top_k", CATEGORY), List.of(TestEvents.priced(T0, 1)))).isEqualTo(List.of());
    }

    /**
     * Seven distinct values into a table tracking six: the purge subtracts the median count (1) and
     * removes every counter. DataSketches then calls the sketch empty and would drop its maximum
     * error of 1 in storage and in merges; the tile must still pass it on.
     */
    @Test
    void shouldCarryTheErrorOfATileWhosePurgeRemovedEveryCounter() {
        final Aggregation<?> topK = Specs.aggregation("top_k", CATEGORY, "k", 2, "max_map_size", 8);
        final List<ClickEvent> purged = new ArrayList<>();
        for (final String category : List.of("a", "b", "c", "d", "e", "f", "g")) {
            purged.add(categorized(T0, category));
        }
        assertThat(result(topK, purged)).isEqualTo(List.of());
        final List<ClickEvent> xs = List.of(categorized(T0, "x"), categorized(T0, "x"), categorized(T0, "x"));
        // x: counted 3 times, and up to 1 more may hide in the purged tile: the estimate is the upper bound.
        assertThat(mergeOfTiles(topK, purged, xs))
                .isEqualTo(List.of(entry("x", 4)));
    }

    @Property
    void shouldCountExactlyWhileFewerValuesThanTheTableTracks(@ForAll("eventLists") final List<ClickEvent> events,
                                                              @ForAll @IntRange(min = 1, max = 6) final int k,
                                                              @ForAll final Random random) {
        final Aggregation<?> topK = Specs.aggregation("top_k", CATEGORY, "k", k);
        final List<Map<String, Object>> expected = exactTop(counts(events), k);
        assertThat(result(topK, events)).isEqualTo(expected);
        assertThat(resultInTiles(topK, events, random)).isEqualTo(expected);
    }

    @Property(tries = 300)
    void shouldStayWithinTheSketchBoundsOnceItPurges(@ForAll("skewedStreams") final List<ClickEvent> events,
                                                     @ForAll("mapSizes") final int maxMapSize,
                                                     @ForAll @IntRange(min = 1, max = 6) final int k,
                                                     @ForAll final Random random) {
        final Aggregation<?> topK = Specs.aggregation("top_k", CATEGORY, "k", k, "max_map_size", maxMapSize);
        assertWithinBounds(result(topK, events), events, maxMapSize, k);
        assertWithinBounds(resultInTiles(topK, events, random), events, maxMapSize, k);
    }

    @Property(tries = 300)
    void shouldPurgeAlikeInMemoryAndThroughStorage(@ForAll("skewedStreams") final List<ClickEvent> events,
                                                   @ForAll("mapSizes") final int maxMapSize) {
        final Aggregation<?> topK = Specs.aggregation("top_k", CATEGORY, "k", 6, "max_map_size", maxMapSize);
        assertThat(resultThroughStorage(topK, events)).isEqualTo(result(topK, events));
    }

    /**
     * Every count is the sketch's upper bound: at least the true count and at most the a-priori
     * error 3.5 / max_map_size × events above it. A value left out is no more frequent than the
     * last one returned, or than that error.
     */
    @SuppressWarnings("unchecked")
    private static void assertWithinBounds(final Object result, final List<ClickEvent> events, final int maxMapSize,
                                           final int k) {
        final Map<String, Long> counts = counts(events);
        final long weight = counts.values().stream().mapToLong(Long::longValue).sum();
        final double error = FrequentItemsSketch.getEpsilon(maxMapSize) * weight;
        final List<Map<String, Object>> top = (List<Map<String, Object>>) result;
        assertThat(top.size()).isLessThanOrEqualTo(k);
        long smallestReturned = Long.MAX_VALUE;
        for (final Map<String, Object> entry : top) {
            final long trueCount = counts.getOrDefault((String) entry.get("value"), 0L);
            final long count = (Long) entry.get("count");
            assertThat(count).as("count of %s", entry.get("value")).isBetween(trueCount, trueCount + (long) error);
            smallestReturned = Math.min(smallestReturned, count);
        }
        final double ceilingOfLeftOut = top.size() == k ? Math.max(error, smallestReturned) : error;
        counts.forEach((value, trueCount) -> {
            if (top.stream().noneMatch(entry -> entry.get("value").equals(value))) {
                assertThat((double) trueCount).as("true count of %s, left out", value).isLessThanOrEqualTo(ceilingOfLeftOut);
            }
        });
    }

    /** Two tiles, each through its bytes, merged into a fresh accumulator as a read does. */
    private static <A> Object mergeOfTiles(final Aggregation<A> aggregation, final List<ClickEvent> first,
                                           final List<ClickEvent> second) {
        final A read = aggregation.newAccumulator();
        aggregation.merge(read, Folding.roundTrip(aggregation, Folding.fold(aggregation, first)));
        aggregation.merge(read, Folding.roundTrip(aggregation, Folding.fold(aggregation, second)));
        return aggregation.result(read);
    }

    private static Map<String, Long> counts(final List<ClickEvent> events) {
        final Map<String, Long> counts = new HashMap<>();
        for (final ClickEvent event : events) {
            if (event.getCategory() != null) {
                counts.merge(event.getCategory(), 1L, Long::sum);
            }
        }
        return counts;
    }

    private static List<Map<String, Object>> exactTop(final Map<String, Long> counts, final int k) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .map(entry -> entry(entry.getKey(), entry.getValue()))
                .toList();
    }

    private static Map<String, Object> entry(final String value, final long count) {
        final Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("value", value);
        entry.put("count", count);
        return entry;
    }

    @Provide
    Arbitrary<List<ClickEvent>> eventLists() {
        return TestEvents.eventLists();
    }

    /** Up to 3000 events over a few hundred values, most of them on a handful (roughly Zipf). */
    @Provide
    Arbitrary<List<ClickEvent>> skewedStreams() {
        final Arbitrary<String> skewed = Arbitraries.doubles().between(0, 1)
                .map(u -> "v" + (int) Math.floor(Math.pow(u, 3) * 300));
        return TestEvents.events(1000, skewed).list().ofMaxSize(3000);
    }

    @Provide
    Arbitrary<Integer> mapSizes() {
        return Arbitraries.of(8, 16, 64);
    }
}
