package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.rollstream.engine.aggregation.Specs.aggregation;
import static io.rollstream.engine.aggregation.TestEvents.CATEGORY;
import static io.rollstream.engine.aggregation.TestEvents.EVENT_TIME;
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregationsTest {

    @Test
    void shouldNameEveryKindWithItsFieldAndEveryParameterDefaultsIncluded() {
        assertThat(aggregation("count", null)).hasToString("count").isSameAs(CountAggregation.INSTANCE);
        assertThat(aggregation("count", PRICE)).hasToString("count(price)");
        assertThat(aggregation("sum", PRICE)).hasToString("sum(price)");
        assertThat(aggregation("avg", PRICE)).hasToString("avg(price)");
        assertThat(aggregation("min", EVENT_TIME)).hasToString("min(event_time)");
        assertThat(aggregation("max", PRICE)).hasToString("max(price)");
        assertThat(aggregation("stddev", PRICE)).hasToString("stddev(price)");
        assertThat(aggregation("first", CATEGORY)).hasToString("first(category)");
        assertThat(aggregation("last", CATEGORY)).hasToString("last(category)");
        assertThat(aggregation("last_k", CATEGORY)).hasToString("last_k(category, k=10)");
        assertThat(aggregation("approx_distinct", CATEGORY)).hasToString("approx_distinct(category, lg_k=12)");
        assertThat(aggregation("top_k", CATEGORY)).hasToString("top_k(category, k=5, max_map_size=64)");
        assertThat(aggregation("approx_percentile", PRICE, "quantile", 0.9))
                .hasToString("approx_percentile(price, quantile=0.9, k=200)");
    }

    /**
     * A kept answer is served until {@code resultHoldsUntil}, whose default says "forever": every
     * kind whose result moves with the read instant must say when it does.
     */
    @Test
    void shouldSayWhenTheResultMovesForEveryKindWhoseResultDependsOnTheReadInstant() throws NoSuchMethodException {
        for (final AggregationKind kind : AggregationKind.values()) {
            final Class<?> type = (kind == AggregationKind.APPROX_PERCENTILE ? aggregation(kind.id(), PRICE, "quantile", 0.5)
                    : aggregation(kind.id(), kind.id().startsWith("session") || kind == AggregationKind.COUNT ? null : PRICE))
                    .getClass();
            final boolean readsTheInstant = type.getMethod("result", Object.class, long.class).getDeclaringClass() != Aggregation.class;
            final boolean saysWhen = type.getMethod("resultHoldsUntil", Object.class, long.class).getDeclaringClass()
                    != Aggregation.class;
            assertThat(saysWhen).as("%s (%s) reads the instant: %s", kind.id(), type.getSimpleName(), readsTheInstant)
                    .isEqualTo(readsTheInstant);
        }
    }

    @Test
    void shouldAcceptWholeNumbersWrittenAsDecimalsOrLongs() {
        assertThat(aggregation("last_k", CATEGORY, "k", 3.0)).hasToString("last_k(category, k=3)");
        assertThat(aggregation("top_k", CATEGORY, "k", 3L, "max_map_size", 128L))
                .hasToString("top_k(category, k=3, max_map_size=128)");
        assertThat(aggregation("approx_percentile", PRICE, "quantile", 1L)).hasToString(
                "approx_percentile(price, quantile=1.0, k=200)");
    }

    @Test
    void shouldListTheKnownKindsForAnUnknownKind() {
        assertThatThrownBy(() -> aggregation("countt", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown aggregation 'countt'; known: count, sum, avg, min, max, stddev, first, last, "
                        + "last_k, approx_distinct, top_k, approx_percentile, session_events, session_duration, session_count");
    }

    @Test
    void shouldSuggestTheKindASlipWasMeantFor() {
        assertThatThrownBy(() -> aggregation("Last-K", CATEGORY))
                .hasMessageStartingWith("unknown aggregation 'Last-K' (did you mean 'last_k'?); known: count, ");
    }

    @Test
    void shouldAskForANumericFieldWhenANumericKindHasNone() {
        assertThatThrownBy(() -> aggregation("sum", null))
                .hasMessage("aggregation 'sum' needs a NUMBER or TIMESTAMP field to aggregate; name it with 'field'");
    }

    @Test
    void shouldAskForAFieldWhenAValueKindHasNone() {
        assertThatThrownBy(() -> aggregation("last_k", null))
                .hasMessage("aggregation 'last_k' needs a field to aggregate; name it with 'field'");
    }

    @Test
    void shouldNameTheFieldItsTypeAndTheKindsThatWorkWhenSummingText() {
        assertThatThrownBy(() -> aggregation("sum", CATEGORY))
                .hasMessage("aggregation 'sum' needs a NUMBER or TIMESTAMP field, but 'category' is a STRING field; "
                        + "aggregate a numeric field, or use count, first, last, last_k, approx_distinct or top_k, "
                        + "which accept STRING fields");
        assertThatThrownBy(() -> aggregation("approx_percentile", CATEGORY, "quantile", 0.5))
                .hasMessageStartingWith("aggregation 'approx_percentile' needs a NUMBER or TIMESTAMP field, but "
                        + "'category' is a STRING field");
    }

    @Test
    void shouldNameTheParametersAKindHasWhenGivenAnother() {
        assertThatThrownBy(() -> aggregation("top_k", CATEGORY, "size", 5))
                .hasMessage("aggregation 'top_k' has no parameter 'size'; its parameters are k (default 5) "
                        + "and max_map_size (default 64)");
        assertThatThrownBy(() -> aggregation("sum", PRICE, "k", 5))
                .hasMessage("aggregation 'sum' takes no parameters, but 'k' was given; remove it");
    }

    @Test
    void shouldRejectKBelowOneNamingTheValidRange() {
        assertThatThrownBy(() -> aggregation("last_k", CATEGORY, "k", 0))
                .hasMessage("parameter 'k' of aggregation 'last_k' is 0; it must be a whole number from 1 to 1000 "
                        + "(each tile keeps up to k values, written to the state store on every event)");
        assertThatThrownBy(() -> aggregation("last_k", CATEGORY, "k", 2.5))
                .hasMessageStartingWith("parameter 'k' of aggregation 'last_k' is 2.5; it must be a whole number");
    }

    @Test
    void shouldRejectTextWhereANumberBelongs() {
        assertThatThrownBy(() -> aggregation("last_k", CATEGORY, "k", "5"))
                .hasMessageStartingWith("parameter 'k' of aggregation 'last_k' is \"5\" (text; write numbers without "
                        + "quotes); it must be a whole number from 1 to 1000");
        final Map<String, Object> empty = new HashMap<>();
        empty.put("k", null);
        assertThatThrownBy(() -> Aggregations.create(new AggregationSpec("last_k", empty), CATEGORY))
                .hasMessageStartingWith("parameter 'k' of aggregation 'last_k' is empty; it must be a whole number");
    }

    @Test
    void shouldRequireAQuantileBetweenZeroAndOne() {
        assertThatThrownBy(() -> aggregation("approx_percentile", PRICE))
                .hasMessage("aggregation 'approx_percentile' needs parameter 'quantile', a number from 0 to 1 "
                        + "(a fraction: 0.5 for the median, 0.9 for the 90th percentile); write it as "
                        + "{kind: approx_percentile, quantile: ...}");
        assertThatThrownBy(() -> aggregation("approx_percentile", PRICE, "quantile", 90))
                .hasMessage("parameter 'quantile' of aggregation 'approx_percentile' is 90; it must be a number from "
                        + "0 to 1 (a fraction: 0.5 for the median, 0.9 for the 90th percentile)");
        assertThatThrownBy(() -> aggregation("approx_percentile", PRICE, "quantile", -0.1))
                .hasMessageStartingWith("parameter 'quantile' of aggregation 'approx_percentile' is -0.1;");
        assertThatThrownBy(() -> aggregation("approx_percentile", PRICE, "quantile", Double.NaN))
                .hasMessageStartingWith("parameter 'quantile' of aggregation 'approx_percentile' is NaN;");
    }

    @Test
    void shouldRejectSketchSizesOutsideWhatDataSketchesSupports() {
        assertThatThrownBy(() -> aggregation("approx_distinct", CATEGORY, "lg_k", 22))
                .hasMessageStartingWith("parameter 'lg_k' of aggregation 'approx_distinct' is 22; it must be a whole "
                        + "number from 4 to 21 (");
        assertThatThrownBy(() -> aggregation("approx_distinct", CATEGORY, "lg_k", 3))
                .hasMessageContaining("is 3; it must be a whole number from 4 to 21");
        assertThatThrownBy(() -> aggregation("approx_percentile", PRICE, "quantile", 0.5, "k", 7))
                .hasMessageStartingWith("parameter 'k' of aggregation 'approx_percentile' is 7; it must be a whole "
                        + "number from 8 to 65535");
    }

    @Test
    void shouldRejectAMapSizeThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> aggregation("top_k", CATEGORY, "max_map_size", 100))
                .hasMessageStartingWith("parameter 'max_map_size' of aggregation 'top_k' is 100; it must be a power "
                        + "of 2 from 8 to 1024 (8, 16, 32, 64, 128, 256, 512 or 1024)");
    }

    @Test
    void shouldRejectATopKLargerThanTheMapTracksSayingHowToFixIt() {
        assertThatThrownBy(() -> aggregation("top_k", CATEGORY, "k", 60))
                .hasMessage("parameter 'k' of aggregation 'top_k' is 60; max_map_size 64 tracks at most 48 values; "
                        + "lower k to 48 or raise max_map_size to 128");
    }

    @Test
    void shouldCountEventsOfAnyFieldType() {
        for (final EventField field : new EventField[] {PRICE, CATEGORY, EVENT_TIME}) {
            assertThat(aggregation("count", field)).hasToString("count(" + field.name() + ")");
        }
    }
}
