package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The aggregation kinds a features file can name: what field each needs and which parameters it takes. */
enum AggregationKind {
    COUNT("count", FieldUse.OPTIONAL),
    SUM("sum", FieldUse.NUMERIC),
    AVG("avg", FieldUse.NUMERIC),
    MIN("min", FieldUse.NUMERIC),
    MAX("max", FieldUse.NUMERIC),
    STDDEV("stddev", FieldUse.NUMERIC),
    FIRST("first", FieldUse.ANY),
    LAST("last", FieldUse.ANY),
    LAST_K("last_k", FieldUse.ANY, LastKAggregation.K),
    APPROX_DISTINCT("approx_distinct", FieldUse.ANY, ApproxDistinctAggregation.LG_K),
    TOP_K("top_k", FieldUse.ANY, TopKAggregation.K, TopKAggregation.MAX_MAP_SIZE),
    APPROX_PERCENTILE("approx_percentile", FieldUse.NUMERIC,
            ApproxPercentileAggregation.QUANTILE, ApproxPercentileAggregation.K),
    SESSION_EVENTS("session_events", FieldUse.NONE, SessionsAggregation.GAP_MINUTES),
    SESSION_DURATION("session_duration", FieldUse.NONE, SessionsAggregation.GAP_MINUTES),
    SESSION_COUNT("session_count", FieldUse.NONE, SessionsAggregation.GAP_MINUTES);

    /** Which event field a kind aggregates. */
    enum FieldUse {
        /** Works on whole events; given a field, only on events that have it. */
        OPTIONAL,
        /** Needs a NUMBER or TIMESTAMP field. */
        NUMERIC,
        /** Needs a field of any type. */
        ANY,
        /** Works on event times alone; a field would be ignored, so naming one is a mistake. */
        NONE
    }

    private final String id;
    private final FieldUse fieldUse;
    private final List<ParamSpec> params;

    AggregationKind(final String id, final FieldUse fieldUse, final ParamSpec... params) {
        this.id = id;
        this.fieldUse = fieldUse;
        this.params = List.of(params);
    }

    /** The name a features file uses. */
    String id() {
        return id;
    }

    List<ParamSpec> params() {
        return params;
    }

    /** The parameter called {@code name}, or null. */
    ParamSpec param(final String name) {
        for (final ParamSpec param : params) {
            if (param.name().equals(name)) {
                return param;
            }
        }
        return null;
    }

    /** @throws IllegalArgumentException listing the known kinds, with a suggestion for a near miss */
    static AggregationKind named(final String name) {
        for (final AggregationKind kind : values()) {
            if (kind.id.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown aggregation '" + name + "'" + suggestionFor(name) + "; known: "
                + String.join(", ", ids(false)));
    }

    /** Catches the usual slips: {@code Sum}, {@code last-k}, {@code top k}. */
    private static String suggestionFor(final String name) {
        final String normalized = name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (final AggregationKind kind : values()) {
            if (kind.id.equals(normalized)) {
                return " (did you mean '" + kind.id + "'?)";
            }
        }
        return "";
    }

    private static List<String> ids(final boolean nonNumericFieldsOnly) {
        final List<String> ids = new ArrayList<>();
        for (final AggregationKind kind : values()) {
            if (!nonNumericFieldsOnly || kind.fieldUse == FieldUse.OPTIONAL || kind.fieldUse == FieldUse.ANY) {
                ids.add(kind.id);
            }
        }
        return ids;
    }

    /** What a feature of this kind reads as, aggregating {@code field} (null: none), which {@link #checkField} accepted. */
    ValueType valueType(final EventField field) {
        return switch (this) {
            // One of the field's values, or (mean, quantile) a value on its scale: a time for a time.
            case MIN, MAX, FIRST, LAST, AVG, APPROX_PERCENTILE -> switch (field.type()) {
                case NUMBER -> ValueType.NUMBER;
                case TIMESTAMP -> ValueType.TIMESTAMP;
                case STRING -> ValueType.TEXT;
            };
            case LAST_K, TOP_K -> ValueType.LIST;
            case COUNT, SUM, STDDEV, APPROX_DISTINCT, SESSION_EVENTS, SESSION_DURATION, SESSION_COUNT -> ValueType.NUMBER;
        };
    }

    /** @throws IllegalArgumentException when this kind cannot aggregate {@code field} (null: no field) */
    void checkField(final EventField field) {
        if (fieldUse == FieldUse.OPTIONAL) {
            return;
        }
        if (fieldUse == FieldUse.NONE) {
            if (field != null) {
                throw new IllegalArgumentException("aggregation '" + id + "' works on event times and takes no field; "
                        + "remove 'field: " + field.name() + "'");
            }
            return;
        }
        final String needed = fieldUse == FieldUse.NUMERIC ? "a NUMBER or TIMESTAMP field" : "a field";
        if (field == null) {
            throw new IllegalArgumentException("aggregation '" + id + "' needs " + needed
                    + " to aggregate; name it with 'field'");
        }
        if (fieldUse == FieldUse.NUMERIC && !field.isNumeric()) {
            throw new IllegalArgumentException("aggregation '" + id + "' needs " + needed + ", but '" + field.name()
                    + "' is a " + field.type() + " field; aggregate a numeric field, or use "
                    + kindsAcceptingAnyField() + ", which accept " + field.type() + " fields");
        }
    }

    private static String kindsAcceptingAnyField() {
        return Listing.of(ids(true), "or");
    }
}
