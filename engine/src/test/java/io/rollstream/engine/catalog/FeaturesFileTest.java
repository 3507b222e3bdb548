package io.rollstream.engine.catalog;

import io.rollstream.engine.FeatureSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeaturesFileTest {

    @Test
    void shouldShipADefaultSetOfAtLeastFortyFeaturesOverUserItemAndUserCategory() {
        final FeatureCatalog catalog = FeaturesFile.loadDefault();
        assertThat(catalog.featureCount()).isGreaterThanOrEqualTo(40);
        assertThat(catalog.byEntity()).containsKeys("user", "item", "user_category");
        final FeatureSet user = catalog.entity("user").orElseThrow();
        assertThat(user.features()).extracting(f -> f.name())
                .contains("views_5m", "views_30d", "revenue_7d", "last_viewed_items", "top_categories_7d",
                        "p90_viewed_price_7d", "last_search_query", "distinct_items_viewed_7d");
        assertThat(user.derived()).extracting(d -> d.name()).contains("ctr_24h", "seconds_since_last_purchase");
        assertThat(catalog.allowedLateness()).hasDays(30);
    }

    @Test
    void shouldGiveTheSameFingerprintForTheSameFileAndAnotherForAChangedDefinition() {
        final String file = """
                features:
                  - name: views
                    event_types: [PAGE_VIEW]
                    aggregation: count
                    windows: [1h]
                """;
        final String same = FeaturesFile.parse(file, "a").fingerprint();
        assertThat(FeaturesFile.parse(file, "b").fingerprint()).isEqualTo(same);
        assertThat(FeaturesFile.parse(file.replace("[1h]", "[2h]"), "c").fingerprint()).isNotEqualTo(same);
        assertThat(FeaturesFile.parse(file.replace("[PAGE_VIEW]", "[CLICK]"), "d").fingerprint()).isNotEqualTo(same);
        assertThat(FeaturesFile.parse(file + "    version: 2\n", "e").fingerprint()).isNotEqualTo(same);
    }

    @Test
    void shouldNameTheFeatureAndTheKeyOfEveryProblemAtOnce() {
        final String file = """
                features:
                  - name: views
                    aggregation: countt
                    windows: [1h]
                  - name: price_p90
                    field: prise
                    aggregation: {kind: approx_percentile, quantile: 0.9}
                    windows: [7d]
                  - name: searches
                    aggregation: count
                    windows: [an hour]
                  - name: views
                    aggregation: count
                    windows: [1h]
                  - name: long
                    aggregation: count
                    windows: [90d]
                  - name: typo
                    aggregation: count
                    windws: [1h]
                """;
        assertThatThrownBy(() -> FeaturesFile.parse(file, "bad.yaml"))
                .isInstanceOfSatisfying(FeaturesFileException.class, e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(5))
                .hasMessageContaining("bad.yaml")
                .hasMessageContaining("features[0] 'views': 'aggregation'").hasMessageContaining("countt")
                .hasMessageContaining("features[1] 'price_p90': 'field'").hasMessageContaining("prise")
                .hasMessageContaining("features[2] 'searches': 'windows'").hasMessageContaining("not a duration")
                .hasMessageContaining("features[4] 'long': 'windows': 90d is outside")
                .hasMessageContaining("features[5] 'typo': unknown key 'windws'");
    }

    @Test
    void shouldRejectADuplicateFeatureName() {
        final String file = """
                features:
                  - name: views
                    aggregation: count
                    windows: [1h]
                  - name: views
                    aggregation: count
                    windows: [1h]
                """;
        assertThatThrownBy(() -> FeaturesFile.parse(file, "dup.yaml")).hasMessageContaining("'views_1h' twice");
    }

    @Test
    void shouldRejectADerivedFeatureReadingAnUnknownFeature() {
        final String file = """
                features:
                  - name: clicks
                    event_types: [CLICK]
                    aggregation: count
                    windows: [1h]
                derived:
                  - name: ctr
                    ratio: [clicks_1h, views_1h]
                """;
        assertThatThrownBy(() -> FeaturesFile.parse(file, "derived.yaml"))
                .hasMessageContaining("derived feature 'ctr'").hasMessageContaining("'views_1h'");
    }

    @Test
    void shouldRejectDerivedFeaturesThatCouldNeverComputeNamingEachAndWhatItReads() {
        final String file = """
                features:
                  - name: views
                    event_types: [PRODUCT_VIEW]
                    aggregation: count
                    windows: [1h]
                  - name: recent_items
                    field: item_id
                    aggregation: last_k
                    windows: [lifetime]
                  - name: last_view_time
                    event_types: [PRODUCT_VIEW]
                    field: event_time
                    aggregation: last
                    windows: [lifetime]
                derived:
                  - name: items_per_view
                    ratio: [recent_items, views_1h]
                  - name: seconds_since_views
                    seconds_since: views_1h
                  - name: seconds_since_last_view
                    seconds_since: last_view_time
                """;
        assertThatThrownBy(() -> FeaturesFile.parse(file, "derived.yaml"))
                .isInstanceOfSatisfying(FeaturesFileException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessageContaining("derived[0] 'items_per_view': 'ratio': 'recent_items' reads as LIST")
                .hasMessageContaining("derived[1] 'seconds_since_views': 'seconds_since': 'views_1h' reads as NUMBER");
        assertThat(FeaturesFile.parse(file.substring(0, file.indexOf("  - name: items_per_view"))
                + "  - name: seconds_since_last_view\n    seconds_since: last_view_time\n", "ok.yaml")
                .entity("user").orElseThrow().derived()).hasSize(1);
        assertThat(FeaturesFile.parse("""
                features:
                  - name: mean_view_time
                    event_types: [PRODUCT_VIEW]
                    field: event_time
                    aggregation: avg
                    windows: [24h]
                derived:
                  - name: seconds_since_mean_view
                    seconds_since: mean_view_time_24h
                """, "mean.yaml").entity("user").orElseThrow().derived()).as("a mean of times is a time").hasSize(1);
    }

    @Test
    void shouldRejectValuesThatWouldOtherwiseBeReadAsSomethingElse() {
        final String file = """
                allowed_lateness: PT-1H
                dedupe_horizon: -PT5M
                features:
                  - name: views
                    entity: ~
                    aggregation: count
                    windows: [1h]
                  - name: clicks
                    event_types: []
                    aggregation: count
                    windows: [1h]
                  - name: carts
                    aggregation: count
                    windows: [1h]
                    version: two
                  - name: buys
                    aggregation: count
                    windows: [1h]
                    version: 2.9
                  - name: quoted
                    aggregation: count
                    windows: [1h]
                    version: "3"
                  - name: decimal
                    aggregation: count
                    windows: [1h]
                    version: 4.0
                """;
        assertThatThrownBy(() -> FeaturesFile.parse(file, "odd.yaml"))
                .isInstanceOfSatisfying(FeaturesFileException.class, e -> assertThat(e.problems()).hasSize(6))
                .hasMessageContaining("'allowed_lateness': PT-1H is negative")
                .hasMessageContaining("'dedupe_horizon': -PT5M is negative")
                .hasMessageContaining("features[0] 'views': 'entity': 'null' is not an entity name")
                .hasMessageContaining("features[1] 'clicks': 'event_types' lists no event type")
                .hasMessageContaining("features[2] 'carts': 'version': 'two' is not a whole number")
                .hasMessageContaining("features[3] 'buys': 'version': '2.9' is not a whole number");
    }

    @Test
    void shouldSayWhenTheFileIsMissingOrNotYaml() {
        assertThatThrownBy(() -> FeaturesFile.load(Path.of("/no/such/features.yaml")))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> FeaturesFile.parse("features: [unclosed", "broken.yaml"))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void shouldKeepALifetimeFeaturesNameAndSuffixWindowedOnes() {
        final FeatureCatalog catalog = FeaturesFile.parse("""
                entities:
                  shop_item: [item_id]
                features:
                  - name: last_query
                    event_types: [SEARCH]
                    field: search_query
                    aggregation: last
                    windows: [lifetime]
                  - name: views
                    entity: shop_item
                    aggregation: count
                    windows: [5m, lifetime]
                """, "names.yaml");
        assertThat(catalog.entity("user").orElseThrow().features()).extracting(f -> f.name()).containsExactly("last_query");
        assertThat(catalog.entity("shop_item").orElseThrow().features()).extracting(f -> f.name())
                .containsExactly("views_5m", "views_lifetime");
    }
}
