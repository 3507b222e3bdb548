package io.rollstream.engine.aggregation;

/**
 * What a feature reads as, so a features file can be checked for derived features that could
 * never compute: a ratio of a list, seconds since a count.
 */
public enum ValueType {
    /** A number: counts, sums, deviations, estimates; min, max, first, last, mean or percentile of a NUMBER field. */
    NUMBER,
    /** Epoch milliseconds: min, max, first, last, mean or percentile of a TIMESTAMP field such as event_time. */
    TIMESTAMP,
    /** Text: first or last of a STRING field. */
    TEXT,
    /** A list: last_k values, top_k values with their counts. */
    LIST
}
