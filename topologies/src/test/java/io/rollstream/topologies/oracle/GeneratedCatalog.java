package io.rollstream.topologies.oracle;

import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.Window;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.schemas.EventType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A small random features file, parsed by {@link FeaturesFile} like a user's: random entities
 * (user, item, user_category and a composite {@code device_country} keyed by fields other than
 * the user), event filters, fields, every aggregation kind with random parameters, windows from
 * one minute to 30 days and lifetime, derived ratios and recencies, sometimes an explicit
 * allowed lateness, and half the time the shortest idle expiry allowed. Its {@code toString} is
 * the YAML, so a counterexample shows the file.
 */
public record GeneratedCatalog(String yaml, FeatureCatalog catalog) {

    /** One declared feature, before its windows expand it. */
    record Declared(String entity, List<EventType> types, String kind, String field, String params, List<String> windows) {
    }

    private static final List<String> NUMERIC_FIELDS = List.of("price", "quantity", "revenue", "event_time");
    private static final List<String> ANY_FIELDS = List.of("price", "quantity", "revenue", "event_time", "item_id",
            "category", "search_query", "device", "event_id", "user_id");

    public static Arbitrary<GeneratedCatalog> catalogs() {
        final Arbitrary<List<Declared>> features = declared().list().ofMinSize(1).ofMaxSize(6);
        final Arbitrary<String> lateness = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of("10m", "2h", "3d", "45d")));
        return Combinators.combine(features, lateness, Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 1000), Arbitraries.of(true, false)).as(GeneratedCatalog::of);
    }

    /**
     * @param shortestExpiry whether to declare the shortest idle expiry the file allows (the longest
     *                       window or the lateness, whichever is longer), so that entities expire
     *                       within a stream's days; else the default, which is twice as long
     */
    private static GeneratedCatalog of(final List<Declared> declared, final String lateness, final int ratioPick,
                                       final int sincePick, final boolean shortestExpiry) {
        final StringBuilder yaml = new StringBuilder("entities:\n  device_country: [device, country]\n");
        if (!lateness.isEmpty()) {
            yaml.append("allowed_lateness: ").append(lateness).append('\n');
        }
        yaml.append("features:\n");
        for (int i = 0; i < declared.size(); i++) {
            final Declared feature = declared.get(i);
            yaml.append("  - name: f").append(i + 1).append('_').append(feature.kind()).append('\n');
            yaml.append("    entity: ").append(feature.entity()).append('\n');
            if (!feature.types().isEmpty()) {
                yaml.append("    event_types: ").append(feature.types()).append('\n');
            }
            if (feature.field() != null) {
                yaml.append("    field: ").append(feature.field()).append('\n');
            }
            yaml.append("    aggregation: ").append(feature.params().isEmpty() ? feature.kind()
                    : "{kind: " + feature.kind() + ", " + feature.params() + "}").append('\n');
            yaml.append("    windows: ").append(feature.windows()).append('\n');
        }
        final FeatureCatalog withoutDerived = FeaturesFile.parse(yaml.toString(), "generated");
        yaml.append(derived(withoutDerived, ratioPick, sincePick));
        if (shortestExpiry) {
            shortestIdleExpiry(withoutDerived).ifPresent(expiry -> yaml.append("idle_expiry: ")
                    .append(expiry.toSeconds()).append("s\n"));
        }
        return new GeneratedCatalog(yaml.toString(), FeaturesFile.parse(yaml.toString(), "generated"));
    }

    /** The longest window or the allowed lateness, whichever is longer; empty when entities cannot expire. */
    private static Optional<Duration> shortestIdleExpiry(final FeatureCatalog catalog) {
        final Optional<Duration> longestWindow = catalog.entities().stream().flatMap(set -> set.features().stream())
                .map(FeatureDefinition::window).filter(window -> !window.isLifetime()).map(Window::length)
                .max(Duration::compareTo);
        if (longestWindow.isEmpty() || catalog.allowedLateness().compareTo(Window.LIFETIME.length()) >= 0) {
            return Optional.empty();
        }
        return Optional.of(longestWindow.get().compareTo(catalog.allowedLateness()) >= 0 ? longestWindow.get()
                : catalog.allowedLateness());
    }

    /** A ratio of two numeric features and a recency, on entities that have them. */
    private static String derived(final FeatureCatalog catalog, final int ratioPick, final int sincePick) {
        final StringBuilder derived = new StringBuilder();
        final List<FeatureSet> sets = catalog.entities();
        final FeatureSet ratioSet = sets.get(ratioPick % sets.size());
        final List<String> ratioInputs = new ArrayList<>();
        for (final FeatureDefinition feature : ratioSet.features()) {
            final String kind = AggregationDescription.parse(feature.aggregation().toString()).kind();
            if (kind.equals("count") || kind.equals("sum")) {
                ratioInputs.add(feature.name());
            }
        }
        if (ratioInputs.size() >= 2) {
            derived.append("  - name: d_ratio\n    entity: ").append(ratioSet.entity()).append("\n    ratio: [")
                    .append(ratioInputs.get(ratioPick % ratioInputs.size())).append(", ")
                    .append(ratioInputs.get((ratioPick / 7 + 1) % ratioInputs.size())).append("]\n");
        }
        final FeatureSet sinceSet = sets.get(sincePick % sets.size());
        String source = "last_event";
        for (final FeatureDefinition feature : sinceSet.features()) {
            final String description = feature.aggregation().toString();
            if (sincePick % 2 == 1 && (description.equals("last(event_time)") || description.equals("first(event_time)"))) {
                source = feature.name();
            }
        }
        derived.append("  - name: d_since\n    entity: ").append(sinceSet.entity()).append("\n    seconds_since: ")
                .append(source).append('\n');
        return "derived:\n" + derived;
    }

    private static Arbitrary<Declared> declared() {
        final Arbitrary<String> entities = Arbitraries.frequency(Tuple.of(4, "user"), Tuple.of(2, "item"),
                Tuple.of(2, "user_category"), Tuple.of(1, "device_country"));
        final Arbitrary<List<EventType>> types = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(List.of())),
                Tuple.of(2, Arbitraries.of(EventType.PAGE_VIEW, EventType.PRODUCT_VIEW, EventType.CLICK,
                        EventType.ADD_TO_CART, EventType.REMOVE_FROM_CART, EventType.PURCHASE, EventType.SEARCH)
                        .set().ofMinSize(1).ofMaxSize(3).map(set -> set.stream().sorted().toList())));
        return Combinators.combine(entities, types, aggregations(), windows())
                .as((entity, eventTypes, aggregation, windows) -> new Declared(entity, eventTypes, aggregation.get1(),
                        aggregation.get2(), aggregation.get3(), windows));
    }

    /** Kind, field (null for none) and parameters as YAML mapping entries. */
    private static Arbitrary<Tuple.Tuple3<String, String, String>> aggregations() {
        final Arbitrary<String> numeric = Arbitraries.of(NUMERIC_FIELDS);
        final Arbitrary<String> any = Arbitraries.of(ANY_FIELDS);
        return Arbitraries.oneOf(
                Arbitraries.of("count").map(kind -> Tuple.of(kind, null, "")),
                any.map(field -> Tuple.of("count", field, "")),
                Combinators.combine(Arbitraries.of("sum", "avg", "min", "max", "stddev"), numeric)
                        .as((kind, field) -> Tuple.of(kind, field, "")),
                Combinators.combine(Arbitraries.of("first", "last"), any).as((kind, field) -> Tuple.of(kind, field, "")),
                Combinators.combine(any, Arbitraries.integers().between(1, 5))
                        .as((field, k) -> Tuple.of("last_k", field, "k: " + k)),
                // lg_k from 8: a few hundred values keep these sketches sparse, so the 3-RSE bound
                // never meets a dense sketch's chance excursions (see Expected.ApproxDistinct).
                Combinators.combine(any, Arbitraries.integers().between(8, 12))
                        .as((field, lgK) -> Tuple.of("approx_distinct", field, "lg_k: " + lgK)),
                Combinators.combine(any, Arbitraries.integers().between(1, 5), Arbitraries.of(8, 16, 64))
                        .as((field, k, size) -> Tuple.of("top_k", field, "k: " + k + ", max_map_size: " + size)),
                Combinators.combine(numeric, Arbitraries.of(0.0, 0.1, 0.25, 0.5, 0.7, 0.9, 0.99, 1.0),
                                Arbitraries.of(8, 16, 200))
                        .as((field, q, k) -> Tuple.of("approx_percentile", field, "quantile: " + q + ", k: " + k)),
                Combinators.combine(Arbitraries.of("session_events", "session_duration", "session_count"),
                                Arbitraries.integers().between(1, 90))
                        .as((kind, gap) -> Tuple.of(kind, null, "gap_minutes: " + gap)));
    }

    private static Arbitrary<List<String>> windows() {
        final Arbitrary<String> window = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("1m", "5m", "90s", "1h", "24h", "7d", "30d", "lifetime")),
                Tuple.of(2, Arbitraries.integers().between(1, 43_200).map(minutes -> minutes + "m")));
        return window.list().ofMinSize(1).ofMaxSize(3).map(GeneratedCatalog::distinctLabels);
    }

    /** Drops windows whose feature name would repeat an earlier one's (60m and 1h are both "1h"). */
    private static List<String> distinctLabels(final List<String> windows) {
        final Set<String> labels = new LinkedHashSet<>();
        final List<String> kept = new ArrayList<>();
        for (final String window : windows) {
            if (labels.add(label(window))) {
                kept.add(window);
            }
        }
        return kept;
    }

    private static String label(final String window) {
        if (window.equals("lifetime")) {
            return window;
        }
        final long seconds = switch (window.charAt(window.length() - 1)) {
            case 's' -> Long.parseLong(window.substring(0, window.length() - 1));
            case 'm' -> Long.parseLong(window.substring(0, window.length() - 1)) * 60;
            case 'h' -> Long.parseLong(window.substring(0, window.length() - 1)) * 3600;
            default -> Long.parseLong(window.substring(0, window.length() - 1)) * 86_400;
        };
        return Long.toString(seconds);
    }

    @Override
    public String toString() {
        return "features file:\n" + yaml;
    }
}
