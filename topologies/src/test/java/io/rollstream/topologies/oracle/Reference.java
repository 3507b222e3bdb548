package io.rollstream.topologies.oracle;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Brute-force aggregation of one feature over the events of its window, by the definitions in
 * {@code docs/aggregations.md} and the aggregations' Javadoc, sharing no code with the engine:
 * exact sums in BigDecimal, sorting instead of sketches, the tie rules written out again.
 */
final class Reference {

    /** Doubles up to 2^53 are whole numbers exactly. */
    private static final double LARGEST_EXACT_WHOLE = 0x1p53;
    private static final double EPSILON = Math.ulp(1.0);

    private Reference() {
    }

    /**
     * @param events the feature's events inside the window, event types already filtered
     * @param asOf   the read instant (the current session depends on it)
     */
    static Expected expect(final AggregationDescription aggregation, final List<ClickEvent> events, final long asOf) {
        final EventField field = aggregation.field();
        return switch (aggregation.kind()) {
            case "count" -> new Expected.Exact(field == null ? (long) events.size() : (long) present(field, events).size());
            case "sum" -> sum(numbers(field, events));
            case "avg" -> avg(numbers(field, events));
            case "min" -> extreme(numbers(field, events), false);
            case "max" -> extreme(numbers(field, events), true);
            case "stddev" -> stddev(numbers(field, events));
            case "first" -> pick(field, events, false);
            case "last" -> pick(field, events, true);
            case "last_k" -> lastK(field, events, aggregation.intParam("k"));
            case "approx_distinct" -> new Expected.ApproxDistinct(
                    present(field, events).stream().map(p -> text(p.value())).distinct().count(),
                    aggregation.intParam("lg_k"));
            case "top_k" -> topK(field, events, aggregation.intParam("k"), aggregation.intParam("max_map_size"));
            case "approx_percentile" -> {
                final int k = aggregation.intParam("k");
                yield new Expected.ApproxPercentile(numbers(field, events).stream().mapToDouble(Double::doubleValue)
                        .sorted().toArray(), aggregation.doubleParam("quantile"), k, 2 * kllRankError(k));
            }
            case "session_count", "session_events", "session_duration" ->
                    sessions(aggregation.kind(), events, aggregation.intParam("gap_minutes") * 60_000L, asOf);
            default -> throw new IllegalArgumentException("the oracle does not know aggregation '" + aggregation.kind()
                    + "'; teach it in " + Reference.class.getName());
        };
    }

    /**
     * Sessions of the window's events: sorted by time, a new session starts where an event comes
     * more than the gap after the previous one. The current session is the latest, if its last
     * event is within the gap of the read instant: {@code session_events} counts its events,
     * {@code session_duration} is its length in seconds (both 0 without one); {@code session_count}
     * counts all sessions.
     */
    private static Expected sessions(final String kind, final List<ClickEvent> events, final long gapMs, final long asOf) {
        final long[] times = events.stream().mapToLong(e -> e.getEventTime().toEpochMilli()).sorted().toArray();
        long sessions = 0;
        int latestStart = 0;
        for (int i = 0; i < times.length; i++) {
            if (i == 0 || times[i] - times[i - 1] > gapMs) {
                sessions++;
                latestStart = i;
            }
        }
        final boolean current = times.length > 0 && asOf - times[times.length - 1] <= gapMs;
        return new Expected.Exact(switch (kind) {
            case "session_count" -> sessions;
            case "session_events" -> current ? (long) (times.length - latestStart) : 0L;
            default -> current ? (times[times.length - 1] - times[latestStart]) / 1000.0 : 0.0;
        });
    }

    /** A value of an event, with that event's time. */
    record Timed(long time, Object value) {
    }

    /** The events' values of the field that are present: not null, and not NaN or infinite. */
    /** The documented cap on text the engine keeps; the oracle's own copy, so a change to it must be made twice. */
    private static final int KEPT_TEXT_BYTES = 256;

    static List<Timed> present(final EventField field, final List<ClickEvent> events) {
        final List<Timed> values = new ArrayList<>();
        for (final ClickEvent event : events) {
            final Object value = field.value(event);
            if (value != null && !(value instanceof Double d && !Double.isFinite(d))) {
                values.add(new Timed(event.getEventTime().toEpochMilli(), value instanceof String text ? kept(text) : value));
            }
        }
        return values;
    }

    /**
     * Text as the engine keeps it: its longest prefix of whole code points that is at most
     * {@value #KEPT_TEXT_BYTES} bytes of UTF-8 (docs/features.md). Worked out by encoding, not as the
     * engine does it.
     */
    static String kept(final String text) {
        final StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            final int codePoint = text.codePointAt(i);
            final int size = new String(Character.toChars(codePoint)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + size > KEPT_TEXT_BYTES) {
                break;
            }
            kept.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return kept.toString();
    }

    private static List<Double> numbers(final EventField field, final List<ClickEvent> events) {
        return present(field, events).stream().map(p -> ((Number) p.value()).doubleValue()).toList();
    }

    /**
     * A compensated (Neumaier) sum is within a couple of roundings of the exact sum: |error| ≤
     * 2ε·Σ|x| and then some for the final addition; 1e-12·Σ|x| leaves room without admitting any
     * wrong sum of these values (one value more or less moves it by far more).
     */
    private static Expected sum(final List<Double> values) {
        return new Expected.Close(exactSum(values).doubleValue(), 1e-12 * absSum(values),
                "compensated floating-point sum vs exact; 1e-12 × Σ|x|");
    }

    private static Expected avg(final List<Double> values) {
        if (values.isEmpty()) {
            return new Expected.Exact(null);
        }
        final BigDecimal mean = exactSum(values).divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL128);
        return new Expected.Close(mean.doubleValue(), 1e-12 * absSum(values) / values.size(),
                "compensated sum / n vs exact; 1e-12 × Σ|x| / n");
    }

    private static Expected extreme(final List<Double> values, final boolean max) {
        Double best = null;
        for (final Double value : values) {
            if (best == null || (max ? value.compareTo(best) > 0 : value.compareTo(best) < 0)) {
                best = value;
            }
        }
        return new Expected.Exact(best);
    }

    /**
     * Population standard deviation, exact in BigDecimal. Welford's update and Chan's merge lose
     * about ε·|mean| per step in the deviations they square, so the engine's answer is off by up to
     * about n·ε·max|x| absolute (timestamps around 1.8e12 with a spread of seconds make this the
     * binding term); plus 1e-12 relative.
     */
    private static Expected stddev(final List<Double> values) {
        if (values.isEmpty()) {
            return new Expected.Exact(null);
        }
        final BigDecimal n = BigDecimal.valueOf(values.size());
        final BigDecimal mean = exactSum(values).divide(n, MathContext.DECIMAL128);
        BigDecimal squares = BigDecimal.ZERO;
        double maxAbs = 0;
        for (final Double value : values) {
            final BigDecimal deviation = new BigDecimal(value).subtract(mean);
            squares = squares.add(deviation.multiply(deviation));
            maxAbs = Math.max(maxAbs, Math.abs(value));
        }
        final double exact = squares.divide(n, MathContext.DECIMAL128).sqrt(MathContext.DECIMAL128).doubleValue();
        return new Expected.Close(exact, 1e-12 * exact + 4 * values.size() * EPSILON * maxAbs,
                "Welford/Chan vs exact; 1e-12 relative + 4·n·ε·max|x|");
    }

    /**
     * The value of the earliest (first) or latest (last) event; events at the same millisecond are
     * ordered by value, first taking the smaller and last the larger.
     */
    private static Expected pick(final EventField field, final List<ClickEvent> events, final boolean last) {
        final Comparator<Timed> order = Comparator.comparingLong(Timed::time)
                .thenComparing(Timed::value, Reference::compareValues);
        final List<Timed> values = new ArrayList<>(present(field, events));
        if (values.isEmpty()) {
            return new Expected.Exact(null);
        }
        values.sort(order);
        return new Expected.Exact((last ? values.getLast() : values.getFirst()).value());
    }

    /** The k distinct values (as text) seen most recently, most recent first; ties by value ascending. */
    private static Expected lastK(final EventField field, final List<ClickEvent> events, final int k) {
        final Map<String, Long> latest = new HashMap<>();
        for (final Timed value : present(field, events)) {
            latest.merge(text(value.value()), value.time(), Math::max);
        }
        return new Expected.Exact(latest.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(k).map(Map.Entry::getKey).toList());
    }

    private static Expected topK(final EventField field, final List<ClickEvent> events, final int k, final int maxMapSize) {
        final Map<String, Long> counts = new TreeMap<>();
        final List<Timed> values = present(field, events);
        for (final Timed value : values) {
            counts.merge(text(value.value()), 1L, Long::sum);
        }
        return new Expected.TopK(counts, values.size(), k, maxMapSize);
    }

    /**
     * The value as the value-set aggregations keep it: strings as they are, timestamps as epoch
     * millis, whole doubles without a fraction (2, not 2.0), other doubles in Java's shortest form.
     */
    static String text(final Object value) {
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) <= LARGEST_EXACT_WHOLE ? Long.toString(d.longValue()) : d.toString();
        }
        return value.toString();
    }

    /** The smallest value with at least {@code quantile} × n values at or below it. */
    static double inclusiveQuantile(final double[] sorted, final double quantile) {
        final BigDecimal needed = new BigDecimal(Double.toString(quantile)).multiply(BigDecimal.valueOf(sorted.length));
        final int rank = Math.max(1, needed.setScale(0, java.math.RoundingMode.CEILING).intValueExact());
        return sorted[rank - 1];
    }

    /**
     * KLL's normalized rank error for a single quantile at 99% confidence, DataSketches' empirical
     * fit 2.296 / k^0.9723 (1.33% at k = 200). The property checks at twice that: it makes
     * thousands of checks per run, and the sketch's compaction coin is unseeded, so a bound at
     * 99% confidence would fail now and then on a correct engine, while a lost tile or a wrong
     * quantile still misses by far more.
     */
    static double kllRankError(final int k) {
        return 2.296 / Math.pow(k, 0.9723);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(final Object a, final Object b) {
        return ((Comparable) a).compareTo(b);
    }

    private static BigDecimal exactSum(final List<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (final Double value : values) {
            sum = sum.add(new BigDecimal(value));
        }
        return sum;
    }

    private static double absSum(final List<Double> values) {
        double sum = 0;
        for (final Double value : values) {
            sum += Math.abs(value);
        }
        return sum;
    }
}
