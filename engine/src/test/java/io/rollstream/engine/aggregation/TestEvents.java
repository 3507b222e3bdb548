package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.engine.field.EventFields;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Events for aggregation tests, and generators of event lists that hit ties, absences and odd values. */
final class TestEvents {

    static final long T0 = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();

    static final EventField PRICE = EventFields.resolve("price");
    static final EventField QUANTITY = EventFields.resolve("quantity");
    static final EventField CATEGORY = EventFields.resolve("category");
    static final EventField EVENT_TIME = EventFields.resolve("event_time");

    private static final AtomicLong IDS = new AtomicLong();

    private TestEvents() {
    }

    static ClickEvent event(final long time, final Double price, final Integer quantity, final String category) {
        return ClickEvent.newBuilder()
                .setEventId("e-" + IDS.incrementAndGet())
                .setEventType(EventType.PRODUCT_VIEW)
                .setUserId("user-1")
                .setEventTime(Instant.ofEpochMilli(time))
                .setPrice(price)
                .setQuantity(quantity)
                .setCategory(category)
                .setProperties(Map.of())
                .build();
    }

    static ClickEvent priced(final long time, final double price) {
        return event(time, price, null, null);
    }

    static ClickEvent categorized(final long time, final String category) {
        return event(time, null, null, category);
    }

    /**
     * Lists of up to 300 events over 60 ms, so that many share a millisecond; prices mix ordinary
     * amounts with zeros of both signs, magnitudes that cancel, NaN and infinity (skipped as
     * absent); categories include the empty string and values differing only in case.
     */
    static Arbitrary<List<ClickEvent>> eventLists() {
        return events(60, Arbitraries.of("", "books", "Books", "toys", "garden", "music", "zoo", "été", "日本"))
                .list().ofMaxSize(300);
    }

    /** Events whose categories are drawn from {@code distinct} values, for cardinality and frequency tests. */
    static Arbitrary<ClickEvent> events(final int timeSpreadMs, final Arbitrary<String> categories) {
        final Arbitrary<Long> times = Arbitraries.longs().between(0, timeSpreadMs).map(offset -> T0 + offset);
        final Arbitrary<Double> prices = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.doubles().between(-1e6, 1e6).ofScale(2)),
                Tuple.of(3, Arbitraries.of(0.0, -0.0, 1.0, 19.99, 1e12, -1e12, 1e-9, 0.1)),
                Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY)))
                .injectNull(0.2);
        final Arbitrary<Integer> quantities = Arbitraries.integers().between(0, 20).injectNull(0.3);
        return Combinators.combine(times, prices, quantities, categories.injectNull(0.2)).as(TestEvents::event);
    }
}
