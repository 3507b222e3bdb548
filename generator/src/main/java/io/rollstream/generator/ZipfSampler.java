package io.rollstream.generator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ranks 1..n with probability proportional to 1/rank^exponent, so a few users and items
 * get most of the traffic, as on a real site. Precomputes the cumulative distribution once
 * (n doubles) and samples by binary search.
 */
public final class ZipfSampler {

    private final double[] cumulative;

    public ZipfSampler(final int n, final double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("a Zipf distribution needs at least one rank, got " + n);
        }
        if (exponent <= 0) {
            throw new IllegalArgumentException("Zipf exponent must be positive, got " + exponent);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int rank = 1; rank <= n; rank++) {
            sum += 1.0 / Math.pow(rank, exponent);
            cumulative[rank - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
    }

    /** A rank in [1, n]. */
    public int sample(final SplittableRandom random) {
        final int index = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(cumulative.length, (index >= 0 ? index : -index - 1) + 1);
    }

    public int size() {
        return cumulative.length;
    }
}
