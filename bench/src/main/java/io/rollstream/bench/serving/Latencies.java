package io.rollstream.bench.serving;

import java.util.Arrays;

/**
 * Every latency of a run, kept exactly (a few hundred thousand longs), so percentiles are the
 * observed values rather than a histogram's bucket edges. Not thread-safe: one per load thread,
 * merged at the end.
 */
public final class Latencies {

    private long[] nanos;
    private int size;

    public Latencies(final int expected) {
        this.nanos = new long[Math.max(1024, expected)];
    }

    public void record(final long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, nanos.length * 2);
        }
        nanos[size++] = latencyNanos;
    }

    public int size() {
        return size;
    }

    /** Percentiles of the latencies of all the given recorders together. */
    public static Summary summarize(final Iterable<Latencies> parts) {
        int total = 0;
        for (final Latencies part : parts) {
            total += part.size;
        }
        final long[] all = new long[total];
        int at = 0;
        for (final Latencies part : parts) {
            System.arraycopy(part.nanos, 0, all, at, part.size);
            at += part.size;
        }
        return Summary.of(all);
    }

    /** Latency percentiles in milliseconds. */
    public record Summary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {

        static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        public static Summary of(final long[] nanos) {
            if (nanos.length == 0) {
                return EMPTY;
            }
            final long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (final long value : sorted) {
                sum += value;
            }
            return new Summary(sorted.length, sum / sorted.length / 1e6, at(sorted, 50), at(sorted, 90), at(sorted, 99),
                    at(sorted, 99.9), sorted[sorted.length - 1] / 1e6);
        }

        /** The nearest-rank percentile: the smallest value at least {@code percent}% of the values are at or below. */
        static double at(final long[] sorted, final double percent) {
            // The epsilon keeps 99.9% of 1 000 at rank 999 despite binary fractions.
            final int rank = (int) Math.ceil(percent * sorted.length / 100.0 - 1e-9);
            return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] / 1e6;
        }
    }
}
