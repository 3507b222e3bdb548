package io.rollstream.topologies.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the oracle expects of one feature value: exactly a value, a double within a tolerance, or
 * (for sketches) an answer within the bounds the engine documents for the true value it knows.
 * {@link #problem} says what is wrong with an actual value, or nothing when it passes.
 */
public sealed interface Expected
        permits Expected.Exact, Expected.Close, Expected.ApproxDistinct, Expected.ApproxPercentile, Expected.TopK {

    /** Why {@code actual} does not meet the expectation, or empty when it does. */
    Optional<String> problem(Object actual);

    /** Exactly this value, of this type (Long for counts, Double for doubles, List, String, or null). */
    record Exact(Object value) implements Expected {
        @Override
        public Optional<String> problem(final Object actual) {
            return Objects.equals(value, actual) ? Optional.empty()
                    : Optional.of("expected " + show(value) + " but was " + show(actual));
        }
    }

    /**
     * A double within {@code tolerance} of the exact (BigDecimal) value: the engine sums and
     * merges in floating point in another order than the oracle, so the last bits may differ.
     * The tolerance is derived per feature from the error the engine's algorithm can make (see
     * {@link Reference}), far tighter than any wrong answer.
     */
    record Close(double value, double tolerance, String why) implements Expected {
        @Override
        public Optional<String> problem(final Object actual) {
            if (!(actual instanceof Double d)) {
                return Optional.of("expected a double close to " + value + " but was " + show(actual));
            }
            return Math.abs(d - value) <= tolerance ? Optional.empty()
                    : Optional.of("expected " + value + " ± " + tolerance + " (" + why + ") but was " + d
                    + " (off by " + Math.abs(d - value) + ")");
        }
    }

    /**
     * An HLL estimate of {@code trueCount} distinct values: within 3 relative standard errors
     * (1.04/√2^lg_k, the documented error for merged sketches) plus one; exact, but for one coupon
     * collision, while the sketch is documented to be sparse (under 8 values, or under
     * 3/4 × 2^(lg_k − 3)).
     */
    record ApproxDistinct(long trueCount, int lgK) implements Expected {
        @Override
        public Optional<String> problem(final Object actual) {
            if (!(actual instanceof Long estimate)) {
                return Optional.of("expected a long estimate of " + trueCount + " distinct values but was " + show(actual));
            }
            final double rse = 1.04 / Math.sqrt(1 << lgK);
            final boolean sparse = trueCount < 8 || trueCount < 3L * (1L << lgK) / 32;
            final double allowed = sparse ? 1 : 3 * rse * trueCount + 1;
            return Math.abs(estimate - trueCount) <= allowed ? Optional.empty()
                    : Optional.of("expected an estimate of " + trueCount + " distinct values within ±" + allowed
                    + (sparse ? " (a sparse sketch is exact)" : " (3 RSE at lg_k " + lgK + ", +1)") + " but was " + estimate);
        }
    }

    /**
     * A KLL quantile of {@code sorted} (the window's values): exactly the inclusive quantile (the
     * smallest value with at least quantile × n values at or below it) while n ≤ k; beyond, a
     * value of the window whose rank interval comes within {@code rankTolerance} of the quantile.
     */
    record ApproxPercentile(double[] sorted, double quantile, int k, double rankTolerance) implements Expected {
        @Override
        public Optional<String> problem(final Object actual) {
            final int n = sorted.length;
            if (n == 0) {
                return actual == null ? Optional.empty() : Optional.of("expected null (no values) but was " + show(actual));
            }
            if (!(actual instanceof Double v)) {
                return Optional.of("expected a double quantile of " + n + " values but was " + show(actual));
            }
            if (n <= k) {
                final double exact = Reference.inclusiveQuantile(sorted, quantile);
                return exact == v ? Optional.empty()
                        : Optional.of("expected the exact inclusive " + quantile + "-quantile " + exact + " of " + n
                        + " values (n ≤ k=" + k + ") but was " + v + "; values " + summary());
            }
            final int below = lowerBound(sorted, v);
            final int atOrBelow = upperBound(sorted, v);
            if (atOrBelow == below) {
                return Optional.of("the quantile " + v + " is not one of the window's " + n + " values " + summary());
            }
            final double lowRank = (double) below / n;
            final double highRank = (double) atOrBelow / n;
            return highRank >= quantile - rankTolerance && lowRank <= quantile + rankTolerance ? Optional.empty()
                    : Optional.of("the " + quantile + "-quantile " + v + " has true rank [" + lowRank + ", " + highRank
                    + "] among " + n + " values, not within ±" + rankTolerance + " of " + quantile + "; values " + summary());
        }

        private String summary() {
            return sorted.length <= 40 ? Arrays.toString(sorted) : "(" + sorted.length + " values, min " + sorted[0]
                    + ", max " + sorted[sorted.length - 1] + ")";
        }

        private static int lowerBound(final double[] sorted, final double v) {
            int i = 0;
            while (i < sorted.length && Double.compare(sorted[i], v) < 0) {
                i++;
            }
            return i;
        }

        private static int upperBound(final double[] sorted, final double v) {
            int i = 0;
            while (i < sorted.length && Double.compare(sorted[i], v) <= 0) {
                i++;
            }
            return i;
        }

        @Override
        public String toString() {
            return "ApproxPercentile[q=" + quantile + ", k=" + k + ", values=" + summary() + "]";
        }
    }

    /**
     * A frequent-items top k of the window whose true counts are {@code trueCounts} (n values in
     * all). Exact (counts, and order by count descending then value ascending) while no more
     * distinct values than the sketch tracks were seen; beyond, as documented: each count between
     * the true count and the true count plus 3.5 / max_map_size × n, sorted, and no value whose
     * true count exceeds that error left out unless k values that count at least as much came first.
     */
    record TopK(Map<String, Long> trueCounts, long n, int k, int maxMapSize) implements Expected {
        @Override
        public Optional<String> problem(final Object actual) {
            if (!(actual instanceof List<?> rows)) {
                return Optional.of("expected a list of {value, count} but was " + show(actual));
            }
            final List<String> values = new ArrayList<>();
            final List<Long> counts = new ArrayList<>();
            for (final Object row : rows) {
                if (!(row instanceof Map<?, ?> map) || !(map.get("value") instanceof String value)
                        || !(map.get("count") instanceof Long count) || map.size() != 2) {
                    return Optional.of("expected rows {value: string, count: long} but got " + show(actual));
                }
                values.add(value);
                counts.add(count);
            }
            if (trueCounts.size() <= maxMapSize * 3 / 4) {
                final List<Map<String, Object>> exact = exactTop();
                return exact.equals(rows) ? Optional.empty()
                        : Optional.of("expected the exact top " + k + " " + exact + " (" + trueCounts.size()
                        + " distinct values, all tracked) but was " + show(actual));
            }
            final double maxError = 3.5 / maxMapSize * n;
            if (rows.size() > k) {
                return Optional.of("more than k=" + k + " rows: " + show(actual));
            }
            for (int i = 0; i < rows.size(); i++) {
                final long truth = trueCounts.getOrDefault(values.get(i), 0L);
                if (truth == 0 || counts.get(i) < truth || counts.get(i) > truth + maxError) {
                    return Optional.of("'" + values.get(i) + "' reported with count " + counts.get(i) + ", true count "
                            + truth + ", allowed up to +" + maxError + " (3.5/" + maxMapSize + " × " + n + "); all "
                            + show(actual) + "; truth " + new TreeMap<>(trueCounts));
                }
                if (i > 0 && (counts.get(i) > counts.get(i - 1)
                        || counts.get(i).equals(counts.get(i - 1)) && values.get(i).compareTo(values.get(i - 1)) < 0)) {
                    return Optional.of("rows not sorted by count descending, then value ascending: " + show(actual));
                }
            }
            for (final Map.Entry<String, Long> entry : trueCounts.entrySet()) {
                if (entry.getValue() > maxError && !values.contains(entry.getKey())
                        && !(rows.size() == k && counts.get(k - 1) >= entry.getValue())) {
                    return Optional.of("'" + entry.getKey() + "' (true count " + entry.getValue() + " > max error "
                            + maxError + ") is missing from " + show(actual) + "; truth " + new TreeMap<>(trueCounts));
                }
            }
            return Optional.empty();
        }

        private List<Map<String, Object>> exactTop() {
            return trueCounts.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                            .thenComparing(Map.Entry::getKey))
                    .limit(k)
                    .map(e -> Map.<String, Object>of("value", e.getKey(), "count", e.getValue()))
                    .toList();
        }
    }

    static String show(final Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        return value + " (" + value.getClass().getSimpleName() + ")";
    }
}
