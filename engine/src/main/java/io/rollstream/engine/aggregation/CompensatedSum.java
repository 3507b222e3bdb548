package io.rollstream.engine.aggregation;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A sum of doubles with Neumaier's compensation: {@code compensation} collects the low-order bits
 * each addition rounds away, so the total is off by about one rounding of the true sum (plus a
 * term in n·ε² that is negligible below millions of terms) instead of growing with the number of
 * terms. That is what makes a window's sum come out the same, to the last bit or two, whether its
 * events were folded into one tile or many, in any merge order: online and offline agree.
 * Merging stays exact in structure: the other sum's total is added with compensation and its
 * compensation is carried over.
 */
final class CompensatedSum {

    /** What {@link #write} takes: both parts. */
    static final int ENCODED_BYTES = 2 * Double.BYTES;

    private double sum;
    private double compensation;

    void add(final double value) {
        final double total = sum + value;
        // Neumaier: whichever operand is smaller in magnitude lost bits; recover them exactly.
        if (Math.abs(sum) >= Math.abs(value)) {
            compensation += (sum - total) + value;
        } else {
            compensation += (value - total) + sum;
        }
        sum = total;
    }

    void add(final CompensatedSum other) {
        add(other.sum);
        compensation += other.compensation;
    }

    double value() {
        return sum + compensation;
    }

    /**
     * The total, or null once it left the range of a double (about 1.8e308, from absurd inputs):
     * the parts are then infinities whose sum is NaN, a number with no JSON form and no meaning.
     */
    Double finiteValue() {
        final double value = value();
        return Double.isFinite(value) ? value : null;
    }

    /** 16 bytes: both parts, so that reading back continues exactly where the writer stopped. */
    void write(final DataOutput out) throws IOException {
        out.writeDouble(sum);
        out.writeDouble(compensation);
    }

    static CompensatedSum read(final DataInput in) throws IOException {
        final CompensatedSum read = new CompensatedSum();
        read.sum = in.readDouble();
        read.compensation = in.readDouble();
        return read;
    }
}
