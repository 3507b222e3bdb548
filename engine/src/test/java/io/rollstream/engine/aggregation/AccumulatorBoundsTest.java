package io.rollstream.engine.aggregation;

import io.rollstream.engine.Window;
import io.rollstream.engine.io.ByteWriter;
import io.rollstream.schemas.ClickEvent;
import org.apache.datasketches.common.Util;
import org.apache.datasketches.hash.MurmurHash3;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllSketch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.rollstream.engine.aggregation.TestEvents.CATEGORY;
import static io.rollstream.engine.aggregation.TestEvents.EVENT_TIME;
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.categorized;
import static io.rollstream.engine.aggregation.TestEvents.priced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind's declared size bound ({@link Aggregation#maxEncodedBytes}) against accumulators
 * folded from input at its limits: the longest texts, as many distinct values as a sketch
 * tracks, huge counts, extreme times, the most sessions a tile can hold, and hashes chosen to
 * make an HLL sketch as large as it can get.
 */
class AccumulatorBoundsTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    /** A tile that starts at a day boundary, so events spread over it keep within it. */
    private static final long TILE_START = TestEvents.T0 / DAY * DAY;

    @Test
    void shouldKeepFixedSizeKindsWithinTheirBoundAtExtremeValuesAndHugeCounts() {
        final List<ClickEvent> events = List.of(priced(TILE_START, -Double.MAX_VALUE), priced(TILE_START + 1, Double.MAX_VALUE),
                priced(TILE_START + 2, -Double.MIN_VALUE));
        for (final Aggregation<?> aggregation : List.of(CountAggregation.INSTANCE, Specs.aggregation("count", PRICE),
                Specs.aggregation("sum", PRICE), Specs.aggregation("avg", PRICE), Specs.aggregation("stddev", PRICE),
                Specs.aggregation("min", PRICE), Specs.aggregation("max", PRICE))) {
            assertFoldedAndDoubledWithinBound(aggregation, events);
        }
    }

    @Test
    void shouldReachTheBoundOfFirstAndLastWithTheLongestTextAtTheMostDistantTime() {
        final String longest = "😀".repeat(100_000);
        final List<ClickEvent> events = List.of(categorized(Long.MIN_VALUE, longest), categorized(Long.MAX_VALUE, longest));
        for (final String kind : List.of("first", "last")) {
            final Aggregation<?> aggregation = Specs.aggregation(kind, CATEGORY);
            assertThat(encodedSize(aggregation, Folding.fold(aggregation, events), 0)).as(kind)
                    .isEqualTo(aggregation.maxEncodedBytes(DAY));
        }
        final Aggregation<?> lastTime = Specs.aggregation("last", EVENT_TIME);
        assertWithinBound(lastTime, Folding.fold(lastTime, events), 0, Window.LIFETIME.tileWidthMs());
        final Aggregation<?> lastPrice = Specs.aggregation("last", PRICE);
        assertWithinBound(lastPrice, Folding.fold(lastPrice, List.of(priced(Long.MIN_VALUE, -Double.MAX_VALUE))), 0, DAY);
    }

    @Test
    void shouldKeepLastKWithinItsBoundWithKDistinctLongestTextsSpreadOverTheTile() {
        for (final int k : new int[]{1, 10, 1000}) {
            final Aggregation<?> aggregation = Specs.aggregation("last_k", CATEGORY, "k", k);
            final List<ClickEvent> events = new ArrayList<>();
            final Random random = new Random(k);
            for (int i = 0; i < 3 * k; i++) {
                // First the earliest and the latest instant of the tile, so the times span all of it.
                final long time = i == 0 ? TILE_START : i == 1 ? TILE_START + DAY - 1 : TILE_START + random.nextLong(DAY);
                events.add(categorized(time, longestDistinct(i)));
            }
            final Object folded = Folding.fold(aggregation, events);
            assertWithinBound(aggregation, folded, TILE_START, DAY);
            assertThat(encodedSize(aggregation, folded, TILE_START)).as("k %d: the bound is nearly reached", k)
                    .isGreaterThan(aggregation.maxEncodedBytes(DAY) * 9 / 10);
        }
        final Aggregation<?> prices = Specs.aggregation("last_k", PRICE, "k", 50);
        final List<ClickEvent> longestNumbers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            longestNumbers.add(priced(TILE_START + i, -2.2250738585072014E-308 * (1 + i / 1e15)));
        }
        assertWithinBound(prices, Folding.fold(prices, longestNumbers), TILE_START, DAY);
    }

    @Test
    void shouldKeepTopKWithinItsBoundWithAFullTableOfLongestTextsAndHugeCounters() {
        for (final int maxMapSize : new int[]{8, 64, 1024}) {
            final Aggregation<?> aggregation = Specs.aggregation("top_k", CATEGORY, "k", 5, "max_map_size", maxMapSize);
            final List<ClickEvent> full = new ArrayList<>();
            for (int i = 0; i < maxMapSize * 3 / 4; i++) {
                full.add(categorized(TILE_START + i, longestDistinct(i)));
            }
            assertFoldedAndDoubledWithinBound(aggregation, full);
            // Far more distinct values than the table tracks: it purges, and stays within the bound.
            final List<ClickEvent> purging = new ArrayList<>();
            for (int i = 0; i < maxMapSize * 8; i++) {
                purging.add(categorized(TILE_START + i, longestDistinct(i % (maxMapSize * 2))));
            }
            assertWithinBound(aggregation, Folding.fold(aggregation, purging), TILE_START, DAY);
        }
    }

    @Test
    void shouldKeepApproxDistinctWithinItsBoundInEveryModeOnTheWayToDense() {
        for (final int lgK : new int[]{4, 8, 12}) {
            final Aggregation<Object> aggregation = typed(Specs.aggregation("approx_distinct", CATEGORY, "lg_k", lgK));
            final Object folded = aggregation.newAccumulator();
            final ClickEvent event = categorized(TILE_START, null);
            for (int i = 0; i < 20 << lgK; i++) {
                event.setCategory("v" + i);
                aggregation.add(folded, event);
                // List, set and the change to dense happen within the first 2^lg_k values.
                if (i < 1 << lgK) {
                    assertWithinBound(aggregation, folded, TILE_START, DAY);
                }
            }
            assertWithinBound(aggregation, folded, TILE_START, DAY);
            mergeIntoItself(aggregation, folded);
            assertWithinBound(aggregation, folded, TILE_START, DAY);
        }
    }

    /**
     * DataSketches asserts that its exceptions table never grows to the sketch's size, and tests
     * run with assertions on; in production they are off and it grows. So the sketch is built
     * where DataSketches' assertions are off: in a class loader of its own.
     */
    @Test
    void shouldKeepApproxDistinctWithinItsBoundWhenHashesWereChosenToMakeEveryRegisterButOneAnException()
            throws ReflectiveOperationException, IOException {
        for (final int lgK : new int[]{4, 6}) {
            final Aggregation<?> aggregation = Specs.aggregation("approx_distinct", CATEGORY, "lg_k", lgK);
            final byte[] image = CanonicalHllImage.of(compactHll4ImageWithAssertionsOff(lgK, hostileHllValues(lgK)));
            final int registers = 1 << lgK;
            // Header, registers and an exception for every register but the empty one.
            assertThat(image).as("lg_k %d", lgK).hasSize(40 + registers / 2 + 4 * (registers - 1));
            assertThat(image.length).as("more than DataSketches' own maximum")
                    .isGreaterThan(HllSketch.getMaxUpdatableSerializationBytes(lgK, TgtHllType.HLL_4));
            assertThat(VarInts.sizeOf(image.length) + (long) image.length).as("as the aggregation writes it")
                    .isLessThanOrEqualTo(aggregation.maxEncodedBytes(DAY));
        }
    }

    private static byte[] compactHll4ImageWithAssertionsOff(final int lgK, final List<String> values)
            throws ReflectiveOperationException, IOException {
        final URL jar = HllSketch.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar}, ClassLoader.getPlatformClassLoader())) {
            loader.setPackageAssertionStatus("org.apache.datasketches", false);
            final Class<?> sketchType = loader.loadClass(HllSketch.class.getName());
            final Class<?> hllType = loader.loadClass(TgtHllType.class.getName());
            final Object sketch = sketchType.getConstructor(int.class, hllType)
                    .newInstance(lgK, hllType.getField(TgtHllType.HLL_4.name()).get(null));
            final Method update = sketchType.getMethod("update", String.class);
            for (final String value : values) {
                update.invoke(sketch, value);
            }
            return (byte[]) sketchType.getMethod("toCompactByteArray").invoke(sketch);
        }
    }

    @Test
    void shouldKeepApproxPercentileWithinItsBoundForAMillionValues() {
        final Random random = new Random(5);
        for (final int k : new int[]{8, 200}) {
            final Aggregation<Object> aggregation = typed(Specs.aggregation("approx_percentile", PRICE,
                    "quantile", 0.5, "k", k));
            final Object folded = aggregation.newAccumulator();
            final ClickEvent event = priced(TILE_START, 0);
            final int values = 1_000_000;
            for (int i = 0; i < values; i++) {
                event.setPrice(random.nextGaussian());
                aggregation.add(folded, event);
            }
            final long size = encodedSize(aggregation, folded, TILE_START);
            assertThat(size).as("k %d: within DataSketches' bound for the values counted", k)
                    .isLessThanOrEqualTo(KllSketch.getMaxSerializedSizeBytes(k, values,
                            KllSketch.SketchType.KLL_DOUBLES_SKETCH, false) + 3L);
            assertWithinBound(aggregation, folded, TILE_START, DAY);
        }
    }

    @Test
    void shouldKeepSessionsWithinTheirBoundWhenATileHoldsAsManyAsFit() {
        final long width = Duration.ofHours(12).toMillis();
        final SessionsAggregation aggregation = new SessionsAggregation(SessionsAggregation.Reading.COUNT, 1);
        final long gap = Duration.ofMinutes(1).toMillis();
        final SessionsAggregation.Sessions sessions = aggregation.newAccumulator();
        long sessionsFolded = 0;
        for (long time = TILE_START; time < TILE_START + width; time += gap + 1) {
            aggregation.add(sessions, categorized(time, null));
            sessionsFolded++;
        }
        assertThat(sessionsFolded).as("the most a 12-hour tile holds with a 1-minute gap").isEqualTo(720);
        assertThat(aggregation.result(sessions)).as("under the cap, nothing is forgotten").isEqualTo(sessionsFolded);
        // Each session as long as the tile allows and with more events than anyone folds.
        for (int i = 0; i < sessions.size; i++) {
            sessions.ends[i] = i + 1 < sessions.size ? sessions.starts[i + 1] - gap - 1 : TILE_START + width - 1;
            sessions.events[i] = Long.MAX_VALUE;
        }
        assertWithinBound(aggregation, sessions, TILE_START, width);
    }

    @Test
    void shouldForgetAndCountTheOldestSessionsOfALifetimeTilePastTheCap() {
        final long width = Window.LIFETIME.tileWidthMs();
        final SessionsAggregation count = new SessionsAggregation(SessionsAggregation.Reading.COUNT, 30);
        final SessionsAggregation current = new SessionsAggregation(SessionsAggregation.Reading.CURRENT_EVENTS, 30);
        final SessionsAggregation.Sessions sessions = count.newAccumulator();
        final int folded = SessionsAggregation.MAX_SESSIONS_PER_TILE + 100;
        long time = TILE_START;
        for (int i = 0; i < folded; i++) {
            time += Duration.ofHours(7).toMillis();
            count.add(sessions, categorized(time, null));
            count.add(sessions, categorized(time + 1_000, null));
        }
        assertThat(sessions.size).isEqualTo(SessionsAggregation.MAX_SESSIONS_PER_TILE);
        assertThat(count.result(sessions)).as("sessions in time order are counted exactly").isEqualTo((long) folded);
        assertThat(current.result(sessions, time + 2_000)).as("the current session is kept").isEqualTo(2L);
        final SessionsAggregation.Sessions readBack = Folding.read(count, bytesAt(count, sessions, 0));
        assertThat(count.result(readBack)).isEqualTo((long) folded);
        final SessionsAggregation.Sessions merged = count.newAccumulator();
        count.merge(merged, readBack);
        assertThat(count.result(merged)).as("merging carries the forgotten count").isEqualTo((long) folded);
        for (int i = 0; i < sessions.size; i++) {
            sessions.events[i] = Long.MAX_VALUE;
        }
        assertWithinBound(count, sessions, 0, width);
    }

    @Test
    void shouldDeclareNoForgottenCountWhereATileCannotHoldMoreSessionsThanTheCap() {
        final SessionsAggregation aggregation = new SessionsAggregation(SessionsAggregation.Reading.COUNT, 1);
        final long twelveHours = Duration.ofHours(12).toMillis();
        // 720 sessions of: a start, a length (both under the width, 4 bytes), 9 bytes of events.
        assertThat(aggregation.maxEncodedBytes(twelveHours)).isEqualTo(2 + 720 * (4 + 4 + 9));
        assertThat(aggregation.maxEncodedBytes(Window.LIFETIME.tileWidthMs()))
                .as("a lifetime tile is bounded by the cap").isLessThan(40_000);
    }

    /**
     * Folds, checks the bound, then doubles every count by merging the accumulator into a copy of
     * itself until the number of events it stands for is near 2^61.
     */
    private static void assertFoldedAndDoubledWithinBound(final Aggregation<?> aggregation, final List<ClickEvent> events) {
        final Object folded = Folding.fold(aggregation, events);
        assertWithinBound(aggregation, folded, TILE_START, DAY);
        final int doublings = 61 - (Long.SIZE - Long.numberOfLeadingZeros(events.size()));
        for (int i = 0; i < doublings; i++) {
            mergeIntoItself(aggregation, folded);
        }
        assertWithinBound(aggregation, folded, TILE_START, DAY);
    }

    @SuppressWarnings("unchecked")
    private static Aggregation<Object> typed(final Aggregation<?> aggregation) {
        return (Aggregation<Object>) aggregation;
    }

    @SuppressWarnings("unchecked")
    private static <A> void mergeIntoItself(final Aggregation<A> aggregation, final Object accumulator) {
        aggregation.merge((A) accumulator, Folding.read(aggregation, Folding.bytes(aggregation, (A) accumulator)));
    }

    private static void assertWithinBound(final Aggregation<?> aggregation, final Object accumulator, final long tileStart,
                                          final long width) {
        assertThat(encodedSize(aggregation, accumulator, tileStart)).as("%s", aggregation)
                .isLessThanOrEqualTo(aggregation.maxEncodedBytes(width));
    }

    private static long encodedSize(final Aggregation<?> aggregation, final Object accumulator, final long tileStart) {
        return bytesAt(aggregation, accumulator, tileStart).length;
    }

    @SuppressWarnings("unchecked")
    private static <A> byte[] bytesAt(final Aggregation<A> aggregation, final Object accumulator, final long tileStart) {
        final ByteWriter out = new ByteWriter(256);
        try {
            aggregation.write((A) accumulator, out, tileStart);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A text of exactly the cap's bytes (64 emoji), distinct for every {@code i}. */
    private static String longestDistinct(final int i) {
        final StringBuilder text = new StringBuilder("😀".repeat(FieldValues.MAX_TEXT_BYTES / 4));
        // Vary the last emoji's low surrogate by the digits of i: still 4 bytes each, still a pair.
        for (int digit = 0, rest = i; digit < 4; digit++, rest /= 64) {
            text.setCharAt(text.length() - 1 - 2 * digit, (char) (0xDE00 + rest % 64));
        }
        assertThat(text.toString().getBytes(StandardCharsets.UTF_8)).hasSize(FieldValues.MAX_TEXT_BYTES);
        return text.toString();
    }

    /**
     * One value for every register but the first, each hashing (as DataSketches hashes a string:
     * MurmurHash3 of its UTF-8, the default seed) to a run of at least 14 leading zeros, so its
     * register holds 15 or more while the first stays 0: every one of them is an exception of HLL_4.
     */
    private static List<String> hostileHllValues(final int lgK) {
        final int registers = 1 << lgK;
        final String[] chosen = new String[registers];
        int found = 0;
        for (long candidate = 0; found < registers - 1; candidate++) {
            final String value = "h" + candidate;
            final long[] hash = MurmurHash3.hash(value.getBytes(StandardCharsets.UTF_8), Util.DEFAULT_UPDATE_SEED);
            final int register = (int) (hash[0] & (registers - 1));
            if (register != 0 && chosen[register] == null && Long.numberOfLeadingZeros(hash[1]) >= 14) {
                chosen[register] = value;
                found++;
            }
        }
        final List<String> values = new ArrayList<>();
        for (final String value : chosen) {
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }
}
