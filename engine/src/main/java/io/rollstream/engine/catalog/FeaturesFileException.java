package io.rollstream.engine.catalog;

import java.util.List;

/**
 * A features file that cannot be used, with every problem found in it (not just the first), each
 * naming the feature and the key at fault.
 */
public final class FeaturesFileException extends RuntimeException {

    private final List<String> problems;

    FeaturesFileException(final String source, final List<String> problems) {
        super("features file " + source + " has " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
