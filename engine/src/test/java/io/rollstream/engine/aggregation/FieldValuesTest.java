package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.rollstream.engine.aggregation.TestEvents.CATEGORY;
import static io.rollstream.engine.aggregation.TestEvents.PRICE;
import static io.rollstream.engine.aggregation.TestEvents.T0;
import static io.rollstream.engine.aggregation.TestEvents.categorized;
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

    @Test
    void shouldKeepATextWholeWhenItsUtf8FitsTheCap() {
        final String ascii = "a".repeat(FieldValues.MAX_TEXT_BYTES);
        final String twoByte = "é".repeat(FieldValues.MAX_TEXT_BYTES / 2);
        final String emoji = "😀".repeat(FieldValues.MAX_TEXT_BYTES / 4);
        assertThat(FieldValues.kept(ascii)).isSameAs(ascii);
        assertThat(FieldValues.kept(twoByte)).isSameAs(twoByte);
        assertThat(FieldValues.kept(emoji)).isSameAs(emoji);
        assertThat(FieldValues.kept("")).isEmpty();
        assertThat(FieldValues.kept("books")).isEqualTo("books");
    }

    @Test
    void shouldCutALongerTextBeforeTheFirstCodePointThatDoesNotFit() {
        assertThat(FieldValues.kept("a".repeat(FieldValues.MAX_TEXT_BYTES + 1)))
                .isEqualTo("a".repeat(FieldValues.MAX_TEXT_BYTES));
        assertThat(FieldValues.kept("x".repeat(600_000))).hasSize(FieldValues.MAX_TEXT_BYTES);
        // 85 three-byte characters are 255 bytes; the 86th would make 258.
        assertThat(FieldValues.kept("日".repeat(100))).isEqualTo("日".repeat(85));
        assertThat(FieldValues.kept("a" + "é".repeat(200))).isEqualTo("a" + "é".repeat(127));
    }

    @Test
    void shouldNeverSplitASurrogatePairAtTheCut() {
        final int room = FieldValues.MAX_TEXT_BYTES;
        // The pair would end 3 bytes past the cap: it goes whole, no lone high surrogate stays behind.
        final String cut = FieldValues.kept("a".repeat(room - 1) + "😀" + "b");
        assertThat(cut).isEqualTo("a".repeat(room - 1));
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
        // Ending exactly at the cap, it stays.
        assertThat(FieldValues.kept("a".repeat(room - 4) + "😀" + "b")).isEqualTo("a".repeat(room - 4) + "😀");
        for (int pad = 0; pad < 8; pad++) {
            final String kept = FieldValues.kept("a".repeat(pad) + "😀".repeat(room));
            assertThat(kept.getBytes(StandardCharsets.UTF_8)).as("pad %d", pad).hasSizeLessThanOrEqualTo(room);
            assertThat(kept.codePoints().filter(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE).count()).as("pad %d", pad).isZero();
            assertThat(kept.getBytes(StandardCharsets.UTF_8).length).as("pad %d", pad).isGreaterThan(room - 4);
        }
    }

    @Test
    void shouldCountALoneSurrogateAsTheOneByteUtf8WritesForIt() {
        final String lone = "\uD800".repeat(FieldValues.MAX_TEXT_BYTES + 10);
        final String kept = FieldValues.kept(lone);
        assertThat(kept).hasSize(FieldValues.MAX_TEXT_BYTES);
        assertThat(kept.getBytes(StandardCharsets.UTF_8)).hasSize(FieldValues.MAX_TEXT_BYTES);
    }

    @Test
    void shouldGiveEveryAggregationTheCutTextOfAnEvent() {
        final String longCategory = "c".repeat(600_000);
        final String kept = "c".repeat(FieldValues.MAX_TEXT_BYTES);
        assertThat(FieldValues.present(CATEGORY, categorized(T0, longCategory))).isEqualTo(kept);
        final List<ClickEvent> events = List.of(categorized(T0, longCategory), categorized(T0 + 1, longCategory + "x"));
        assertThat(Folding.result(Specs.aggregation("last", CATEGORY), events)).isEqualTo(kept);
        assertThat(Folding.result(Specs.aggregation("first", CATEGORY), events)).isEqualTo(kept);
        // Values alike in their first 256 bytes are one value.
        assertThat(Folding.result(Specs.aggregation("last_k", CATEGORY), events)).isEqualTo(List.of(kept));
        assertThat(Folding.result(Specs.aggregation("top_k", CATEGORY), events))
                .isEqualTo(List.of(Map.of("value", kept, "count", 2L)));
        assertThat(Folding.result(Specs.aggregation("approx_distinct", CATEGORY), events)).isEqualTo(1L);
    }

    @Test
    void shouldWriteNoNumberOrTimestampLongerThanItsDeclaredText() {
        for (final double number : new double[]{-2.2250738585072014E-308, -Double.MAX_VALUE, -Double.MIN_VALUE,
                -0.0012345678901234567, -1234567.8901234567, -0x1p53, -0x1p53 - 2, Math.PI}) {
            assertThat(FieldValues.text(number)).as("%s", number).hasSizeLessThanOrEqualTo(FieldValues.MAX_NUMBER_TEXT_BYTES);
        }
        assertThat(FieldValues.text(-2.2250738585072014E-308)).hasSize(FieldValues.MAX_NUMBER_TEXT_BYTES);
        assertThat(FieldValues.text(Long.MIN_VALUE)).hasSize(FieldValues.MAX_TIMESTAMP_TEXT_BYTES);
    }
}
