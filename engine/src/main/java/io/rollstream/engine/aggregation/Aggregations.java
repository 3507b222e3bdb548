package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;

import java.util.Objects;

/**
 * Builds aggregations from their declarations. Every aggregation's {@code toString()} names its
 * kind, field and every parameter (defaults included), so it can stand for the aggregation's
 * meaning in a feature definition's fingerprint. Kinds, parameters and error bounds:
 * {@code docs/aggregations.md}.
 */
public final class Aggregations {

    private Aggregations() {
    }

    /**
     * @param field the event field to aggregate; null for a {@code count} of whole events
     * @throws IllegalArgumentException when the kind is unknown, the field is missing or of a type
     *                                  the kind cannot aggregate, or a parameter is unknown or
     *                                  invalid; the message says what to change (the caller
     *                                  prefixes the feature it belongs to)
     */
    public static Aggregation<?> create(final AggregationSpec spec, final EventField field) {
        Objects.requireNonNull(spec, "spec");
        final AggregationKind kind = AggregationKind.named(spec.kind());
        kind.checkField(field);
        final AggregationParams params = AggregationParams.check(kind, spec.params());
        return switch (kind) {
            case COUNT -> field == null ? CountAggregation.INSTANCE : CountAggregation.ofPresent(field);
            case SUM -> new SumAggregation(field);
            case AVG -> new AvgAggregation(field);
            case MIN -> MinMaxAggregation.min(field);
            case MAX -> MinMaxAggregation.max(field);
            case STDDEV -> new StddevAggregation(field);
            case FIRST -> FirstLastAggregation.first(field);
            case LAST -> FirstLastAggregation.last(field);
            case LAST_K -> new LastKAggregation(field, params.wholeNumber(LastKAggregation.K));
            case APPROX_DISTINCT -> new ApproxDistinctAggregation(field,
                    params.wholeNumber(ApproxDistinctAggregation.LG_K));
            case TOP_K -> TopKAggregation.create(field, params);
            case APPROX_PERCENTILE -> new ApproxPercentileAggregation(field,
                    params.number(ApproxPercentileAggregation.QUANTILE),
                    params.wholeNumber(ApproxPercentileAggregation.K));
            case SESSION_EVENTS -> new SessionsAggregation(SessionsAggregation.Reading.CURRENT_EVENTS,
                    params.wholeNumber(SessionsAggregation.GAP_MINUTES));
            case SESSION_DURATION -> new SessionsAggregation(SessionsAggregation.Reading.CURRENT_DURATION,
                    params.wholeNumber(SessionsAggregation.GAP_MINUTES));
            case SESSION_COUNT -> new SessionsAggregation(SessionsAggregation.Reading.COUNT,
                    params.wholeNumber(SessionsAggregation.GAP_MINUTES));
        };
    }

    /** What a feature declared so reads as: for a declaration {@link #create} accepted. */
    public static ValueType valueType(final AggregationSpec spec, final EventField field) {
        return AggregationKind.named(spec.kind()).valueType(field);
    }
}
