package io.rollstream.engine.aggregation;

import org.junit.jupiter.api.Test;

import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.priced;
import static org.assertj.core.api.Assertions.assertThat;

class FieldValuesTest {

    @Test
    void shouldWriteWholeNumbersWithoutAFractionAndOthersInTheirShortestForm() {
        assertThat(FieldValues.text(2.0)).isEqualTo("2");
        assertThat(FieldValues.text(-0.0)).isEqualTo("0");
        assertThat(FieldValues.text(19.99)).isEqualTo("19.99");
        assertThat(FieldValues.text(1e20)).isEqualTo("1.0E20");
        assertThat(FieldValues.text(T0)).isEqualTo(Long.toString(T0));
        assertThat(FieldValues.text("Books")).isEqualTo("Books");
    }

    @Test
    void shouldTreatNaNAndInfinityAsAbsent() {
        assertThat(FieldValues.present(PRICE, priced(T0, Double.NaN))).isNull();
        assertThat(FieldValues.present(PRICE, priced(T0, Double.NEGATIVE_INFINITY))).isNull();
        assertThat(FieldValues.present(PRICE, priced(T0, 0.5))).isEqualTo(0.5);
    }
}
