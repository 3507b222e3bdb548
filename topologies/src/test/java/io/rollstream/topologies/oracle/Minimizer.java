package io.rollstream.topologies.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Delta debugging (Zeller's ddmin) over a failing record list: removes ever smaller chunks of
 * records while the check still fails, then single records, so that a counterexample shows only
 * the records that matter. jqwik's own shrinking would rebuild the whole topology for every
 * candidate value of every field; cutting records alone gets to a readable stream in a fraction
 * of the runs. Bounded in time: past the budget it returns the smallest failing list found.
 */
final class Minimizer {

    private Minimizer() {
    }

    static <T> List<T> minimize(final List<T> failing, final Predicate<List<T>> fails, final long budgetMillis) {
        final long deadline = System.currentTimeMillis() + budgetMillis;
        List<T> current = List.copyOf(failing);
        int chunks = 2;
        while (current.size() >= 2 && System.currentTimeMillis() < deadline) {
            boolean reduced = false;
            final int size = current.size();
            for (int i = 0; i < chunks && System.currentTimeMillis() < deadline; i++) {
                final int from = i * size / chunks;
                final int to = (i + 1) * size / chunks;
                final List<T> complement = new ArrayList<>(current.subList(0, from));
                complement.addAll(current.subList(to, size));
                if (!complement.isEmpty() && fails.test(complement)) {
                    current = List.copyOf(complement);
                    chunks = Math.max(chunks - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (chunks >= size) {
                    break;
                }
                chunks = Math.min(chunks * 2, size);
            }
        }
        return current;
    }
}
