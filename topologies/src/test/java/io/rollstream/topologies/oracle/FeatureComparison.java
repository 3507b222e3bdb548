package io.rollstream.topologies.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Compares actual feature values with the oracle's expectations, collecting every difference. */
public final class FeatureComparison {

    private FeatureComparison() {
    }

    /**
     * @param where  names the entity, key and read instant in each problem
     * @param actual feature name to value, as the engine (or the HTTP API, decoded) answered
     * @return one line per feature that differs, or that only one side has
     */
    public static List<String> compare(final String where, final Map<String, ?> actual,
                                       final Map<String, Expected> expected) {
        final List<String> problems = new ArrayList<>();
        final TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        for (final String name : names) {
            if (!expected.containsKey(name)) {
                problems.add(where + " " + name + ": not a feature of the catalog, but answered " + Expected.show(actual.get(name)));
            } else if (!actual.containsKey(name)) {
                problems.add(where + " " + name + ": missing from the answer");
            } else {
                final Optional<String> problem = expected.get(name).problem(actual.get(name));
                problem.ifPresent(p -> problems.add(where + " " + name + ": " + p));
            }
        }
        return problems;
    }

    /** An assertion error listing the first problems (all of them counted), or nothing when there are none. */
    public static void assertNone(final String what, final List<String> problems) {
        if (!problems.isEmpty()) {
            final StringBuilder message = new StringBuilder(what).append(": ").append(problems.size())
                    .append(" problem(s)");
            problems.stream().limit(25).forEach(p -> message.append("\n  - ").append(p));
            if (problems.size() > 25) {
                message.append("\n  ... and ").append(problems.size() - 25).append(" more");
            }
            throw new AssertionError(message.toString());
        }
    }
}
