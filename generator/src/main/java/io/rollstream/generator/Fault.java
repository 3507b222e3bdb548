package io.rollstream.generator;

/** What a record the generator published carries: a plain event, or one of the injected {@link Faults}. */
public enum Fault {
    NONE("plain"),
    OUT_OF_ORDER("out-of-order"),
    LATE("late"),
    DUPLICATE("duplicate"),
    MALFORMED("malformed");

    private final String label;

    Fault(final String label) {
        this.label = label;
    }

    /** How a progress line names it. */
    public String label() {
        return label;
    }
}
