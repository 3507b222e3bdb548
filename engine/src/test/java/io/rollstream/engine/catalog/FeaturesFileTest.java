package io.rollstream.engine.catalog;

import io.rollstream.engine.EntityStateCodec;
import io.rollstream.engine.FeatureSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeaturesFileTest {

    private static final String WINDOWS_1H_24H_AND_LIFETIME = """
            features:
              - name: views
                aggregation: count
                windows: [1h, 24h]
              - name: first_seen
                field: event_time
                aggregation: first
                windows: [lifetime]
            """;

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
    void shouldExpireIdleEntitiesAfterTheLongestWindowPlusTheAllowedLatenessByDefault() {
        assertThat(FeaturesFile.loadDefault().idleExpiry()).as("30d windows, 30d lateness").hasValue(Duration.ofDays(60));
        assertThat(FeaturesFile.parse(WINDOWS_1H_24H_AND_LIFETIME, "a").idleExpiry()).hasValue(Duration.ofHours(48));
        assertThat(FeaturesFile.parse("allowed_lateness: 2h\n" + WINDOWS_1H_24H_AND_LIFETIME, "b").idleExpiry())
                .hasValue(Duration.ofHours(26));
        assertThat(FeatureCatalog.of(FeaturesFile.parse(WINDOWS_1H_24H_AND_LIFETIME, "c").entities()).idleExpiry())
                .as("a catalog built in code gets the same default").hasValue(Duration.ofHours(48));
    }

    @Test
    void shouldNotExpireEntitiesByDefaultWhenThereIsNoWindowOrNoLatenessLimit() {
        final String lifetimeOnly = """
                features:
                  - name: views
                    aggregation: count
                    windows: [lifetime]
                """;
        assertThat(FeaturesFile.parse(lifetimeOnly, "a").idleExpiry()).as("nothing but lifetime features").isEmpty();
        assertThat(FeaturesFile.parse("allowed_lateness: 1d\n" + lifetimeOnly, "b").idleExpiry()).isEmpty();
        assertThat(FeaturesFile.parse(WINDOWS_1H_24H_AND_LIFETIME + """
                  - name: item_views
                    entity: item
                    aggregation: count
                    windows: [lifetime]
                """, "c").idleExpiry()).as("an entity of lifetime features only admits events of any age").isEmpty();
        assertThat(FeaturesFile.parse("allowed_lateness: 1d\nidle_expiry: 400d\n" + lifetimeOnly, "d").idleExpiry())
                .as("unless the file says").hasValue(Duration.ofDays(400));
    }

    @Test
    void shouldReadAnIdleExpiryFromTheLongestWindowAndTheLatenessOn() {
        assertThat(FeaturesFile.parse("idle_expiry: 45d\n" + WINDOWS_1H_24H_AND_LIFETIME, "a").idleExpiry())
                .hasValue(Duration.ofDays(45));
        assertThat(FeaturesFile.parse("idle_expiry: PT24H\n" + WINDOWS_1H_24H_AND_LIFETIME, "b").idleExpiry())
                .as("exactly the longest window, which is also the default lateness").hasValue(Duration.ofHours(24));
        assertThat(FeaturesFile.parse("allowed_lateness: 3d\nidle_expiry: 3d\n" + WINDOWS_1H_24H_AND_LIFETIME, "c")
                .idleExpiry()).hasValue(Duration.ofDays(3));
    }

    @Test
    void shouldRefuseAnIdleExpiryThatIsNotAPositiveDuration() {
        assertThatThrownBy(() -> FeaturesFile.parse("idle_expiry: 0s\n" + WINDOWS_1H_24H_AND_LIFETIME, "zero.yaml"))
                .hasMessageContaining("'idle_expiry': 0s is not positive").hasMessageContaining("e.g. 45d");
        assertThatThrownBy(() -> FeaturesFile.parse("idle_expiry: -PT1H\n" + WINDOWS_1H_24H_AND_LIFETIME
                        + "    windws: [1h]\n", "negative.yaml"))
                .as("reported with the file's other problems")
                .isInstanceOfSatisfying(FeaturesFileException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessageContaining("'idle_expiry': -PT1H is not positive")
                .hasMessageContaining("unknown key 'windws'");
        assertThatThrownBy(() -> FeaturesFile.parse("idle_expiry: a month\n" + WINDOWS_1H_24H_AND_LIFETIME, "text.yaml"))
                .hasMessageContaining("'idle_expiry': 'a month' is not a duration");
    }

    @Test
    void shouldRefuseAnIdleExpiryShorterThanTheLongestWindowOrTheAllowedLateness() {
        assertThatThrownBy(() -> FeaturesFile.parse("idle_expiry: 12h\n" + WINDOWS_1H_24H_AND_LIFETIME, "short.yaml"))
                .hasMessageContaining("short.yaml")
                .hasMessageContaining("'idle_expiry': 12h is shorter than the longest window, 24h")
                .hasMessageContaining("give at least 24h, or leave the key out for 2d");
        assertThatThrownBy(() -> FeaturesFile.parse("allowed_lateness: 3d\nidle_expiry: 2d\n"
                + WINDOWS_1H_24H_AND_LIFETIME, "late.yaml"))
                .hasMessageContaining("'idle_expiry': 2d is shorter than the allowed lateness, 3d")
                .hasMessageContaining("give at least 3d, or lower allowed_lateness");
        assertThatThrownBy(() -> FeaturesFile.parse("""
                idle_expiry: 90d
                features:
                  - name: views
                    aggregation: count
                    windows: [lifetime]
                """, "unlimited.yaml"))
                .hasMessageContaining("'idle_expiry': entities cannot expire while the allowed lateness is unlimited")
                .hasMessageContaining("set allowed_lateness to at most 90d");
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

    @Test
    void shouldRefuseAnEntityWhoseRecordsCouldOutgrowTheLimitNamingTheLargestFeatures() {
        final String file = """
                features:
                  - name: views
                    aggregation: count
                    windows: [1h]
                  - name: distinct_items
                    field: item_id
                    aggregation: {kind: approx_distinct, lg_k: 21}
                    windows: [7d]
                """;
        assertThatThrownBy(() -> FeaturesFile.parse(file, "big.yaml"))
                .isInstanceOfSatisfying(FeaturesFileException.class, e -> assertThat(e.problems()).hasSize(1))
                .hasMessageContaining("entity 'user'")
                .hasMessageContaining("more than the " + EntityStateCodec.MAX_ENTITY_RECORD_BYTES)
                .hasMessageContaining("'distinct_items_7d' (approx_distinct(item_id, lg_k=21)) 9437228 bytes")
                .hasMessageContaining("lower the parameters in parentheses");
    }

    @Test
    void shouldRefuseLongListsOfTextKeptOverManyWindows() {
        final String file = """
                features:
                  - name: recent_queries
                    field: search_query
                    aggregation: {kind: last_k, k: 1000}
                    windows: [1h, 24h, lifetime]
                """;
        assertThatThrownBy(() -> FeaturesFile.parse(file, "lists.yaml"))
                .hasMessageContaining("entity 'user'")
                .hasMessageContaining("'recent_queries_lifetime' (last_k(search_query, k=1000))")
                .hasMessageContaining("'recent_queries_1h'").hasMessageContaining("'recent_queries_24h'");
        // One window of it fits; and a list of prices, whose text is short, fits in all three.
        assertThat(FeaturesFile.parse(file.replace("[1h, 24h, lifetime]", "[lifetime]"), "one.yaml").entities()).hasSize(1);
        assertThat(FeaturesFile.parse(file.replace("search_query", "price"), "prices.yaml").entities()).hasSize(1);
    }

    @Test
    void shouldReportEveryEntityTooLargeAtOnceAndNameTheReadersOfASharedAccumulator() {
        final String file = """
                features:
                  - name: distinct_viewers
                    entity: item
                    field: user_id
                    aggregation: {kind: approx_distinct, lg_k: 18}
                    windows: [24h]
                  - name: session_events
                    aggregation: {kind: session_events, gap_minutes: 1}
                    windows: [lifetime]
                  - name: session_count
                    aggregation: {kind: session_count, gap_minutes: 1}
                    windows: [lifetime]
                  - name: categories
                    field: category
                    aggregation: {kind: top_k, k: 5, max_map_size: 1024}
                    windows: [7d]
                  - name: recent_queries
                    field: search_query
                    aggregation: {kind: last_k, k: 1000}
                    windows: [lifetime]
                  - name: distinct_items
                    field: item_id
                    aggregation: approx_distinct
                    windows: [24h]
                """;
        assertThatThrownBy(() -> FeaturesFile.parse(file, "two.yaml"))
                .isInstanceOfSatisfying(FeaturesFileException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessageContaining("entity 'item'").hasMessageContaining("'distinct_viewers_24h'")
                .hasMessageContaining("entity 'user'")
                .hasMessageContaining("'recent_queries' (last_k(search_query, k=1000)) 265005 bytes, "
                        + "'categories_7d' (top_k(category, k=5, max_map_size=1024)) 205856 bytes, "
                        + "'session_events' and 'session_count' (session_events(gap_minutes=1)) 24587 bytes;")
                .message().doesNotContain("distinct_items");
    }

    @Test
    void shouldAcceptTheLargestSketchesThatFitTheLimit() {
        final FeatureCatalog catalog = FeaturesFile.parse("""
                features:
                  - name: distinct_items
                    field: item_id
                    aggregation: {kind: approx_distinct, lg_k: 16}
                    windows: [7d]
                  - name: p50_price
                    field: price
                    aggregation: {kind: approx_percentile, quantile: 0.5, k: 2000}
                    windows: [24h]
                """, "fits.yaml");
        final FeatureSet user = catalog.entity("user").orElseThrow();
        assertThat(new EntityStateCodec(user).maxRecordBytes(RecordSizeLimit.CHECKED_AHEAD_OF_READERS))
                .isBetween(EntityStateCodec.MAX_ENTITY_RECORD_BYTES / 2L, (long) EntityStateCodec.MAX_ENTITY_RECORD_BYTES);
        // Eighteen windows of approx_distinct at lg_k 12, on the finest tiles: the largest file the
        // topology's oracle test generates (six features of up to three windows) still loads.
        final StringBuilder eighteen = new StringBuilder("features:\n");
        for (final String field : List.of("item_id", "category", "search_query", "device", "event_id", "user_id")) {
            eighteen.append("  - name: distinct_").append(field).append("\n    field: ").append(field)
                    .append("\n    aggregation: {kind: approx_distinct, lg_k: 12}\n    windows: [1m, 5m, 30d]\n");
        }
        final FeatureSet distincts = FeaturesFile.parse(eighteen.toString(), "eighteen.yaml").entity("user").orElseThrow();
        assertThat(distincts.features()).hasSize(18);
        assertThat(new EntityStateCodec(distincts).maxRecordBytes(RecordSizeLimit.CHECKED_AHEAD_OF_READERS))
                .isBetween(18 * 18_475L, (long) EntityStateCodec.MAX_ENTITY_RECORD_BYTES);
    }

    @Test
    void shouldLoadTheDefaultFileWithEveryEntityWellWithinTheRecordLimit() {
        for (final FeatureSet set : FeaturesFile.loadDefault().entities()) {
            assertThat(new EntityStateCodec(set).maxRecordBytes(RecordSizeLimit.CHECKED_AHEAD_OF_READERS))
                    .as(set.entity()).isLessThan(EntityStateCodec.MAX_ENTITY_RECORD_BYTES / 4);
        }
    }
}
