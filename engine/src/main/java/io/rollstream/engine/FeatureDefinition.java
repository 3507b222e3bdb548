package io.rollstream.engine;

import io.rollstream.engine.aggregation.Aggregation;
import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One declared feature: which events it looks at, how it aggregates them, over which window.
 * Holds the one unchecked cast between the engine's untyped tile slots and the typed aggregation.
 */
public final class FeatureDefinition {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final String name;
    private final Set<EventType> eventTypes;
    private final boolean[] acceptsByOrdinal;
    private final Aggregation<Object> aggregation;
    private final Window window;
    private final EventField field;
    private final int version;

    /**
     * @param eventTypes the event types this feature folds in; empty means every type
     */
    public FeatureDefinition(final String name, final Set<EventType> eventTypes,
                             final Aggregation<?> aggregation, final Window window) {
        this(name, eventTypes, null, aggregation, window, 1);
    }

    /**
     * @param field   the event field aggregated, or null for aggregations of whole events (count)
     * @param version bumped by hand when a feature's meaning changes without its definition
     *                changing (a fixed bug, say), so its state is rebuilt like any other change
     */
    @SuppressWarnings("unchecked")
    public FeatureDefinition(final String name, final Set<EventType> eventTypes, final EventField field,
                             final Aggregation<?> aggregation, final Window window, final int version) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("feature name '" + name
                    + "' must be lower snake case (letters, digits, underscores, starting with a letter)");
        }
        this.name = name;
        this.eventTypes = eventTypes.isEmpty() ? EnumSet.allOf(EventType.class) : EnumSet.copyOf(eventTypes);
        this.acceptsByOrdinal = new boolean[EventType.values().length];
        for (final EventType type : this.eventTypes) {
            acceptsByOrdinal[type.ordinal()] = true;
        }
        this.aggregation = (Aggregation<Object>) Objects.requireNonNull(aggregation, "aggregation");
        this.window = Objects.requireNonNull(window, "window");
        this.field = field;
        this.version = version;
    }

    public String name() {
        return name;
    }

    public Set<EventType> eventTypes() {
        return eventTypes;
    }

    public Window window() {
        return window;
    }

    public Aggregation<?> aggregation() {
        return aggregation;
    }

    boolean accepts(final ClickEvent event) {
        return acceptsByOrdinal[event.getEventType().ordinal()];
    }

    Object newAccumulator() {
        return aggregation.newAccumulator();
    }

    void add(final Object accumulator, final ClickEvent event) {
        aggregation.add(accumulator, event);
    }

    void merge(final Object target, final Object source) {
        aggregation.merge(target, source);
    }

    Object result(final Object accumulator, final long asOf) {
        return aggregation.result(accumulator, asOf);
    }

    long resultHoldsUntil(final Object accumulator, final long asOf) {
        return aggregation.resultHoldsUntil(accumulator, asOf);
    }

    void write(final Object accumulator, final DataOutput out, final long tileStartMs) throws IOException {
        aggregation.write(accumulator, out, tileStartMs);
    }

    Object read(final DataInput in, final long tileStartMs) throws IOException {
        return aggregation.read(in, tileStartMs);
    }

    /**
     * What identifies the feature's accumulator: features with equal state keys over tiles of one
     * width share it (see {@link Aggregation#stateKey()}).
     */
    Object stateKey() {
        return List.of(eventTypes, field == null ? "" : field.name(), aggregation.stateKey());
    }

    /** What identifies the definition's meaning: a change here is a new feature version. */
    String signature() {
        return name + '|' + eventTypes + '|' + (field == null ? "" : field.name()) + '|' + aggregation + '|'
                + window.lengthMs() + '|' + window.tileWidthMs() + "|v" + version;
    }

    @Override
    public String toString() {
        return name + " = " + aggregation.getClass().getSimpleName() + " of " + eventTypes
                + " over " + window.label();
    }
}
