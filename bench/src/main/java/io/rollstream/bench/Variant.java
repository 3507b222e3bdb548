package io.rollstream.bench;

/** The three applications the benchmark runs side by side on the same input. */
public enum Variant {

    COUNT("(a)", "count", "bare groupByKey().count(): the floor cost of a stateful Kafka Streams app over these events"),
    ROLLSTREAM("(b)", "rollstream", "the Rollstream topology"),
    DSL("(c)", "dsl", "the same windows with the Kafka Streams DSL: hopping windows, 1-minute advance"),
    FLOOR("(d)", "floor", "a bare count per key of each entity of (b)'s features file, with (b)'s data movement");

    private final String letter;
    private final String key;
    private final String description;

    Variant(final String letter, final String key, final String description) {
        this.letter = letter;
        this.key = key;
        this.description = description;
    }

    /** "(a)" to "(d)", as the output and the docs name them. */
    public String letter() {
        return letter;
    }

    /** The name in application ids and summary keys ({@code count_eps=}). */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    public String label() {
        return letter + " " + key;
    }
}
