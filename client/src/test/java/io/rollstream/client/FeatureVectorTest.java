package io.rollstream.client;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureVectorTest {

    private static FeatureVector vector(final Map<String, Object> features) {
        return new FeatureVector("user", "u1", Instant.parse("2026-11-21T05:27:54.810Z"), true, false, "a:1",
                Optional.empty(), 0, features);
    }

    private static Map<String, Object> withNull(final String name) {
        final Map<String, Object> features = new HashMap<>();
        features.put(name, null);
        return features;
    }

    @Test
    void shouldReadACountAsLongAndAsDouble() {
        final FeatureVector vector = vector(Map.of("views_1h", 3L));

        assertThat(vector.getLong("views_1h")).hasValue(3);
        assertThat(vector.getDouble("views_1h")).hasValue(3.0);
    }

    @Test
    void shouldReadAWholeDoubleAsLong() {
        assertThat(vector(Map.of("sum_1h", 4.0)).getLong("sum_1h")).hasValue(4);
    }

    @Test
    void shouldRefuseADecimalAsLongAndPointToGetDouble() {
        final FeatureVector vector = vector(Map.of("ctr_24h", 0.25));

        assertThatThrownBy(() -> vector.getLong("ctr_24h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("feature 'ctr_24h' of user 'u1' is 0.25 (a decimal number), not a whole number; "
                        + "read it with getDouble");
    }

    @Test
    void shouldRefuseTextAsNumber() {
        final FeatureVector vector = vector(Map.of("last_search_query", "red shoes"));

        assertThatThrownBy(() -> vector.getDouble("last_search_query")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is red shoes (a string), not a number; read it with getString");
    }

    @Test
    void shouldAnswerEmptyOrTheDefaultForANullFeature() {
        final FeatureVector vector = vector(withNull("x"));

        assertThat(vector.getLong("x")).isEmpty();
        assertThat(vector.getLong("x", -1)).isEqualTo(-1);
        assertThat(vector.getDouble("x")).isEmpty();
        assertThat(vector.getDouble("x", Double.NaN)).isNaN();
        assertThat(vector.getString("x")).isEmpty();
        assertThat(vector.getStringList("x")).isEmpty();
        assertThat(vector.getTopK("x")).isEmpty();
    }

    @Test
    void shouldThrowNamingAFeatureTheVectorDoesNotHold() {
        final FeatureVector vector = vector(Map.of("views_1h", 3L, "ctr_24h", 0.5));

        assertThatThrownBy(() -> vector.getLong("view_1h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no feature 'view_1h' in the features of user 'u1'")
                .hasMessageContaining("[ctr_24h, views_1h]");
    }

    @Test
    void shouldReadTextAndListsOfText() {
        final FeatureVector vector = vector(Map.of("last_search_query", "red shoes",
                "last_viewed_items", List.of("item-1", "item-2")));

        assertThat(vector.getString("last_search_query")).contains("red shoes");
        assertThat(vector.getStringList("last_viewed_items")).containsExactly("item-1", "item-2");
    }

    @Test
    void shouldRefuseAListOfNumbersAsStrings() {
        final FeatureVector vector = vector(Map.of("last_prices", List.of(1.5, 2.5)));

        assertThatThrownBy(() -> vector.getStringList("last_prices")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a list of strings");
    }

    @Test
    void shouldReadTopKAsItemCountsInTheServersOrder() {
        final FeatureVector vector = vector(Map.of("top_categories_7d", List.of(
                Map.of("value", "books", "count", 4L), Map.of("value", "games", "count", 2L))));

        assertThat(vector.getTopK("top_categories_7d"))
                .containsExactly(new ItemCount("books", 4), new ItemCount("games", 2));
    }

    @Test
    void shouldRefuseTopKEntriesWithoutValueAndCount() {
        final FeatureVector vector = vector(Map.of("top_categories_7d", List.of(Map.of("name", "books"))));

        assertThatThrownBy(() -> vector.getTopK("top_categories_7d")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a list of {\"value\": string, \"count\": number}");
    }

    @Test
    void shouldKeepNullValuesInRawAndForbidChangingIt() {
        final Map<String, Object> features = withNull("avg_price_1h");
        final FeatureVector vector = vector(features);
        features.put("sneaked_in", 1L);

        assertThat(vector.raw()).containsOnlyKeys("avg_price_1h").containsEntry("avg_price_1h", null);
        assertThatThrownBy(() -> vector.raw().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }
}
