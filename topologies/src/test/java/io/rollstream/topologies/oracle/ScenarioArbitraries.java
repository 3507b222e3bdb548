package io.rollstream.topologies.oracle;

import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.ClockSkew;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.util.List;

/**
 * Random clickstreams that stress what the pipeline must get right: out-of-order events (from a
 * few seconds to beyond the allowed lateness, and exactly at its edge), clocks running ahead
 * (within and beyond the allowed skew), producer retries of the same event id with the same or a
 * later record timestamp (and, rarely, a moved event time), events at the very millisecond of
 * another with other values (for the tie rules), invalid and undecodable records,
 * a handful of users, items, categories, devices and countries so every entity gets traffic,
 * and gaps from milliseconds to days so windows from a minute to 30 days fill and empty.
 */
public final class ScenarioArbitraries {

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private ScenarioArbitraries() {
    }

    /**
     * @param allowedLateness the catalog's: offsets just inside and just beyond it are favoured
     * @param maxFutureSkew   the topology's: likewise
     * @param maxActions      how long a stream may get
     */
    public static Arbitrary<Scenario> scenarios(final Duration allowedLateness, final Duration maxFutureSkew,
                                                final int maxActions) {
        final Arbitrary<Scenario.Action> action = Arbitraries.frequencyOf(
                Tuple.of(12, newEvents(allowedLateness.toMillis(), maxFutureSkew.toMillis())),
                Tuple.of(2, twins()),
                Tuple.of(2, resends(allowedLateness.toMillis())),
                Tuple.of(1, garbage()));
        return action.list().ofMinSize(1).ofMaxSize(maxActions).map(Scenario::new);
    }

    /**
     * Query instants, as offsets from the newest event time of a stream: at it, after it (silent
     * spells, windows emptying), and before it by as much as an admitted event can be ahead of a
     * reader's clock ({@link ClockSkew#eventsAheadOfReaders}).
     */
    public static Arbitrary<List<Long>> queryOffsets(final Duration maxFutureSkew) {
        final long skew = new ClockSkew(maxFutureSkew).eventsAheadOfReaders().toMillis();
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(0L)),
                Tuple.of(2, Arbitraries.just(-skew)),
                Tuple.of(2, Arbitraries.longs().between(-skew, 0)),
                Tuple.of(1, Arbitraries.longs().between(1, MINUTE)),
                Tuple.of(2, Arbitraries.longs().between(1, 2 * HOUR)),
                Tuple.of(2, Arbitraries.longs().between(1, 3 * DAY)),
                Tuple.of(1, Arbitraries.longs().between(1, 40 * DAY))).list().ofMinSize(1).ofMaxSize(3);
    }

    private static Arbitrary<Long> advances() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(0L)),
                Tuple.of(4, Arbitraries.longs().between(1, MINUTE)),
                Tuple.of(3, Arbitraries.longs().between(1, HOUR)),
                Tuple.of(2, Arbitraries.longs().between(1, DAY)),
                Tuple.of(1, Arbitraries.longs().between(1, 10 * DAY)));
    }

    /** Event time minus record timestamp. */
    private static Arbitrary<Long> offsets(final long latenessMs, final long skewMs) {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(0L)),
                Tuple.of(5, Arbitraries.longs().between(-10 * MINUTE, 0)),
                Tuple.of(4, Arbitraries.longs().between(-2 * HOUR, 0)),
                Tuple.of(3, Arbitraries.longs().between(-3 * DAY, 0)),
                Tuple.of(1, Arbitraries.longs().between(-latenessMs - 2 * HOUR, -latenessMs + 2 * HOUR)),
                Tuple.of(1, Arbitraries.of(-latenessMs, -latenessMs - 1, -latenessMs + 1)),
                Tuple.of(2, Arbitraries.longs().between(1, skewMs)),
                Tuple.of(1, Arbitraries.of(skewMs, skewMs + 1)),
                Tuple.of(1, Arbitraries.longs().between(skewMs, skewMs + HOUR)));
    }

    private static Arbitrary<Scenario.Action> newEvents(final long latenessMs, final long skewMs) {
        final Arbitrary<EventType> types = Arbitraries.frequency(
                Tuple.of(4, EventType.PRODUCT_VIEW), Tuple.of(3, EventType.PAGE_VIEW), Tuple.of(2, EventType.CLICK),
                Tuple.of(2, EventType.SEARCH), Tuple.of(1, EventType.ADD_TO_CART),
                Tuple.of(1, EventType.REMOVE_FROM_CART), Tuple.of(2, EventType.PURCHASE));
        final Arbitrary<EventType> typesOrUnknown = Arbitraries.frequencyOf(Tuple.of(40, types),
                Tuple.of(1, Arbitraries.just(EventType.UNKNOWN)));
        final Arbitrary<Scenario.Ids> ids = Arbitraries.frequency(Tuple.of(60, Scenario.Ids.OK),
                Tuple.of(1, Scenario.Ids.NO_EVENT_ID), Tuple.of(1, Scenario.Ids.BLANK_EVENT_ID),
                Tuple.of(1, Scenario.Ids.NO_USER_ID), Tuple.of(1, Scenario.Ids.BLANK_USER_ID));
        final Arbitrary<Integer> quantities = Arbitraries.integers().between(0, 4).injectNull(0.5);
        final Arbitrary<int[]> pools = Combinators.combine(zipf(Scenario.USERS.length),
                        optional(Scenario.ITEMS.length, 0.3), optional(Scenario.CATEGORIES.length, 0.3),
                        optional(Scenario.QUERIES.length, 0.5), optional(Scenario.DEVICES.length, 0.2),
                        optional(Scenario.COUNTRIES.length, 0.2))
                .as((user, item, category, query, device, country) -> new int[] {user, item, category, query, device, country});
        return Combinators.combine(advances(), offsets(latenessMs, skewMs), typesOrUnknown, ids, pools, prices(), quantities)
                .as((advance, offset, type, id, pool, price, quantity) -> new Scenario.NewEvent(advance, offset, type, id,
                        pool[0], pool[1], pool[2], price, quantity, pool[3], pool[4], pool[5]));
    }

    private static Arbitrary<Scenario.Action> twins() {
        return Combinators.combine(Arbitraries.of(0L, 0L, 1L, 1_000L), optional(Scenario.ITEMS.length, 0.1),
                        optional(Scenario.CATEGORIES.length, 0.1), prices(), optional(Scenario.QUERIES.length, 0.1))
                .as(Scenario.Twin::new);
    }

    private static Arbitrary<Scenario.Action> resends(final long latenessMs) {
        final Arbitrary<Long> shifts = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(0L)),
                Tuple.of(1, Arbitraries.longs().between(-10 * MINUTE, 10 * MINUTE)),
                Tuple.of(1, Arbitraries.longs().between(-latenessMs - 2 * MINUTE, latenessMs + 2 * MINUTE)));
        return Combinators.combine(advances(), Arbitraries.integers().between(0, 1_000), Arbitraries.of(true, false), shifts)
                .as(Scenario.Resend::new);
    }

    /** Few distinct prices so that ties (equal minimum, maximum, percentile) happen. */
    private static Arbitrary<Double> prices() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(0.0, 9.99, 10.0, 19.5, 100.0, 0.1, 1e6)),
                Tuple.of(2, Arbitraries.integers().between(1, 50_000).map(cents -> cents / 100.0)))
                .injectNull(0.25);
    }

    private static Arbitrary<Scenario.Action> garbage() {
        return Combinators.combine(advances(), zipf(Scenario.USERS.length)).as(Scenario.Garbage::new);
    }

    /** Index 0 most often, like real users and items. */
    private static Arbitrary<Integer> zipf(final int size) {
        return Arbitraries.integers().between(0, size - 1).withDistribution(RandomDistribution.biased());
    }

    private static Arbitrary<Integer> optional(final int size, final double absent) {
        return Arbitraries.frequencyOf(Tuple.of((int) Math.round(absent * 100), Arbitraries.just(-1)),
                Tuple.of((int) Math.round((1 - absent) * 100), zipf(size)));
    }
}
