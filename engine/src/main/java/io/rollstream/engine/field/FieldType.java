package io.rollstream.engine.field;

/** What kind of value an event field holds, and so which aggregations can use it. */
public enum FieldType {
    /** A double ({@link EventField#value} returns {@link Double}). */
    NUMBER,
    /** A string ({@link EventField#value} returns {@link String}). */
    STRING,
    /** Epoch milliseconds ({@link EventField#value} returns {@link Long}); aggregates like a number. */
    TIMESTAMP
}
