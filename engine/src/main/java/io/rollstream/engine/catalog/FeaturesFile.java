package io.rollstream.engine.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rollstream.engine.DerivedFeature;
import io.rollstream.engine.EntityDefinition;
import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.Window;
import io.rollstream.engine.aggregation.Aggregation;
import io.rollstream.engine.aggregation.AggregationSpec;
import io.rollstream.engine.aggregation.Aggregations;
import io.rollstream.engine.aggregation.ValueType;
import io.rollstream.engine.field.EventField;
import io.rollstream.engine.field.EventFields;
import io.rollstream.schemas.EventType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a features file (YAML) into a {@link FeatureCatalog}. Every problem is reported at once,
 * each naming the feature and the key at fault, so a bad file fails at start and is fixed in one
 * go. The format is documented in {@code docs/features.md}; the default file ships in this jar.
 */
public final class FeaturesFile {

    public static final String DEFAULT_RESOURCE = "/io/rollstream/engine/catalog/default-features.yaml";

    static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    static final Duration MAX_WINDOW = Duration.ofDays(30);
    private static final Set<String> TOP_KEYS = Set.of("entities", "allowed_lateness", "dedupe_horizon", "idle_expiry",
            "features", "derived");
    private static final Set<String> FEATURE_KEYS = Set.of("name", "entity", "event_types", "field", "aggregation",
            "windows", "version");
    private static final Set<String> DERIVED_KEYS = Set.of("name", "entity", "ratio", "seconds_since");
    private static final Map<String, List<String>> PREDEFINED_ENTITIES = Map.of(
            "user", List.of("user_id"),
            "item", List.of("item_id"),
            "user_category", List.of("user_id", "category"));

    private final String source;
    private final List<String> problems = new ArrayList<>();
    /** By entity, what each feature declared so far reads as: what derived features may read. */
    private final Map<String, Map<String, ValueType>> valueTypes = new LinkedHashMap<>();

    private FeaturesFile(final String source) {
        this.source = source;
    }

    public static FeatureCatalog load(final Path path) {
        final String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            throw new FeaturesFileException(path.toString(), List.of("the file does not exist; give the path of a "
                    + "features file, or leave it out to use the default one"));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read features file " + path + ": " + e.getMessage(), e);
        }
        return parse(text, path.toString());
    }

    public static FeatureCatalog loadDefault() {
        try (InputStream in = FeaturesFile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default features file " + DEFAULT_RESOURCE + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "(default)");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FeatureCatalog parse(final String yaml, final String source) {
        return new FeaturesFile(source).read(yaml);
    }

    private FeatureCatalog read(final String yaml) {
        final JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (final JsonProcessingException e) {
            throw new FeaturesFileException(source, List.of("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
        }
        if (root == null || !root.isObject()) {
            throw new FeaturesFileException(source, List.of("the file must be a YAML mapping with a 'features' list"));
        }
        unknownKeys("the file", root, TOP_KEYS);

        final Map<String, EntityDefinition> entities = entities(root.path("entities"));
        final Duration lateness = root.has("allowed_lateness") ? duration("allowed_lateness", root.get("allowed_lateness")) : null;
        final Duration dedupeHorizon = root.has("dedupe_horizon") ? duration("dedupe_horizon", root.get("dedupe_horizon")) : null;
        final Duration idleExpiry = root.has("idle_expiry") ? idleExpiry(root.get("idle_expiry")) : null;
        final Map<String, List<FeatureDefinition>> features = new LinkedHashMap<>();
        final JsonNode featureNodes = root.path("features");
        if (!featureNodes.isArray() || featureNodes.isEmpty()) {
            problems.add("'features' must be a non-empty list of features");
        } else {
            for (int i = 0; i < featureNodes.size(); i++) {
                feature(i, featureNodes.get(i), entities, features);
            }
        }
        final Map<String, List<DerivedFeature>> derived = derived(root.path("derived"), entities);

        final List<FeatureSet> sets = new ArrayList<>();
        if (problems.isEmpty()) {
            for (final Map.Entry<String, List<FeatureDefinition>> entry : features.entrySet()) {
                try {
                    final FeatureSet set = new FeatureSet(entities.get(entry.getKey()), entry.getValue(),
                            derived.getOrDefault(entry.getKey(), List.of()), lateness);
                    final String tooLarge = RecordSizeLimit.problem(set);
                    if (tooLarge != null) {
                        problems.add(tooLarge);
                    }
                    sets.add(set);
                } catch (final IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            for (final String entity : derived.keySet()) {
                if (!features.containsKey(entity)) {
                    problems.add("derived features of entity '" + entity + "' read features, but that entity has none");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new FeaturesFileException(source, problems);
        }
        final Duration effectiveLateness = sets.stream().map(FeatureSet::allowedLateness).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        final Duration dedupe = dedupeHorizon != null ? dedupeHorizon : FeatureCatalog.defaultDedupeHorizon(effectiveLateness);
        // Checked by the catalog against the windows and lateness, so only once the features are known.
        try {
            return new FeatureCatalog(sets, effectiveLateness, dedupe, idleExpiry != null ? Optional.of(idleExpiry)
                    : FeatureCatalog.defaultIdleExpiry(sets, effectiveLateness), FeatureCatalog.fingerprintOf(sets));
        } catch (final IllegalArgumentException e) {
            throw new FeaturesFileException(source, List.of("'idle_expiry': " + e.getMessage()));
        }
    }

    private Map<String, EntityDefinition> entities(final JsonNode node) {
        final Map<String, List<String>> keys = new LinkedHashMap<>(PREDEFINED_ENTITIES);
        if (!node.isMissingNode()) {
            if (!node.isObject()) {
                problems.add("'entities' must map entity names to their key fields, e.g. 'item: [item_id]'");
            } else {
                node.fields().forEachRemaining(entry -> {
                    final List<String> fields = new ArrayList<>();
                    if (entry.getValue().isArray()) {
                        entry.getValue().forEach(field -> fields.add(field.asText()));
                    } else {
                        fields.add(entry.getValue().asText());
                    }
                    keys.put(entry.getKey(), fields);
                });
            }
        }
        final Map<String, EntityDefinition> entities = new LinkedHashMap<>();
        keys.forEach((name, fields) -> {
            try {
                final List<EventField> keyFields = new ArrayList<>();
                for (final String field : fields) {
                    keyFields.add(EventFields.resolve(field));
                }
                entities.put(name, new EntityDefinition(name, keyFields));
            } catch (final IllegalArgumentException e) {
                problems.add("entity '" + name + "': " + e.getMessage());
            }
        });
        return entities;
    }

    private void feature(final int index, final JsonNode node, final Map<String, EntityDefinition> entities,
                         final Map<String, List<FeatureDefinition>> features) {
        final String name = node.path("name").asText("");
        final String where = "features[" + index + "]" + (name.isEmpty() ? "" : " '" + name + "'");
        if (!node.isObject()) {
            problems.add(where + ": must be a mapping with name, aggregation and windows");
            return;
        }
        unknownKeys(where, node, FEATURE_KEYS);
        final int before = problems.size();
        if (name.isEmpty()) {
            problems.add(where + ": 'name' is missing");
        }
        final String entity = entity(where, node, entities);
        final Set<EventType> types = eventTypes(where, node.path("event_types"));
        EventField field = null;
        if (node.has("field")) {
            try {
                field = EventFields.resolve(node.get("field").asText());
            } catch (final IllegalArgumentException e) {
                problems.add(where + ": 'field': " + e.getMessage());
            }
        }
        final AggregationSpec spec = aggregationSpec(where, node.path("aggregation"));
        final List<Window> windows = windows(where, node.path("windows"));
        final int version = version(where, node.path("version"));
        if (problems.size() > before || spec == null) {
            return;
        }
        final Aggregation<?> aggregation;
        final ValueType valueType;
        try {
            aggregation = Aggregations.create(spec, field);
            valueType = Aggregations.valueType(spec, field);
        } catch (final IllegalArgumentException e) {
            problems.add(where + ": 'aggregation': " + e.getMessage());
            return;
        }
        for (final Window window : windows) {
            final String fullName = windows.size() == 1 && window.isLifetime() ? name : name + "_" + window.label();
            try {
                features.computeIfAbsent(entity, e -> new ArrayList<>())
                        .add(new FeatureDefinition(fullName, types, field, aggregation, window, version));
                valueTypes.computeIfAbsent(entity, e -> new LinkedHashMap<>()).put(fullName, valueType);
            } catch (final IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
    }

    /** The entity a feature or derived feature names, "user" when it names none; null after a problem. */
    private String entity(final String where, final JsonNode node, final Map<String, EntityDefinition> entities) {
        if (!node.has("entity")) {
            return "user";
        }
        final JsonNode value = node.get("entity");
        if (!value.isTextual() || !entities.containsKey(value.asText())) {
            problems.add(where + ": 'entity': " + (value.isTextual() ? "unknown entity '" + value.asText() + "'"
                    : "'" + value + "' is not an entity name") + "; known: " + entities.keySet()
                    + " (declare others under 'entities', or leave the key out for user)");
            return null;
        }
        return value.asText();
    }

    private int version(final String where, final JsonNode node) {
        if (node.isMissingNode()) {
            return 1;
        }
        final boolean whole = node.isNumber() ? node.canConvertToExactIntegral() && node.canConvertToInt()
                : node.isTextual() && node.asText().trim().matches("[0-9]{1,9}");
        final int version = whole ? (node.isNumber() ? node.intValue() : Integer.parseInt(node.asText().trim())) : 0;
        if (version < 1) {
            problems.add(where + ": 'version': '" + node.asText() + "' is not a whole number of at least 1; "
                    + "bump it (2, 3, ...) to rebuild a feature whose meaning changed without its definition");
            return 1;
        }
        return version;
    }

    private Set<EventType> eventTypes(final String where, final JsonNode node) {
        if (node.isMissingNode()) {
            return Set.of();
        }
        if (node.isNull() || (node.isArray() && node.isEmpty())) {
            problems.add(where + ": 'event_types' lists no event type; leave the key out to take every type, "
                    + "or list some");
            return Set.of();
        }
        final Set<EventType> types = EnumSet.noneOf(EventType.class);
        final List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        for (final JsonNode item : items) {
            try {
                final EventType type = EventType.valueOf(item.asText());
                if (type == EventType.UNKNOWN) {
                    throw new IllegalArgumentException();
                }
                types.add(type);
            } catch (final IllegalArgumentException e) {
                final Set<EventType> known = EnumSet.allOf(EventType.class);
                known.remove(EventType.UNKNOWN);
                problems.add(where + ": 'event_types': '" + item.asText() + "' is not an event type; known: " + known);
            }
        }
        return types;
    }

    private AggregationSpec aggregationSpec(final String where, final JsonNode node) {
        if (node.isTextual()) {
            return new AggregationSpec(node.asText(), Map.of());
        }
        if (node.isObject() && node.has("kind")) {
            final Map<String, Object> params = new LinkedHashMap<>();
            final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                final Map.Entry<String, JsonNode> entry = fields.next();
                if (!entry.getKey().equals("kind")) {
                    params.put(entry.getKey(), scalar(entry.getValue()));
                }
            }
            return new AggregationSpec(node.get("kind").asText(), params);
        }
        problems.add(where + ": 'aggregation' is missing; give a kind (count, sum, avg, ...) or a mapping "
                + "such as {kind: approx_percentile, quantile: 0.9}");
        return null;
    }

    private static Object scalar(final JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }

    private List<Window> windows(final String where, final JsonNode node) {
        final List<Window> windows = new ArrayList<>();
        if (node.isMissingNode() || !node.isArray() || node.isEmpty()) {
            problems.add(where + ": 'windows' must be a non-empty list of durations (5m, 1h, 24h, 7d, 30d) or [lifetime]");
            return windows;
        }
        final Set<String> seen = new LinkedHashSet<>();
        for (final JsonNode item : node) {
            final String text = item.asText();
            if (!seen.add(text)) {
                problems.add(where + ": 'windows' lists " + text + " twice");
                continue;
            }
            if ("lifetime".equals(text)) {
                windows.add(Window.LIFETIME);
                continue;
            }
            try {
                final Duration length = Durations.parse(text);
                if (length.compareTo(MIN_WINDOW) < 0 || length.compareTo(MAX_WINDOW) > 0) {
                    problems.add(where + ": 'windows': " + text + " is outside the supported range of 1m to 30d "
                            + "(use lifetime for everything since the first event)");
                } else {
                    windows.add(Window.of(length));
                }
            } catch (final IllegalArgumentException e) {
                problems.add(where + ": 'windows': " + e.getMessage() + ", or lifetime");
            }
        }
        return windows;
    }

    private Map<String, List<DerivedFeature>> derived(final JsonNode node, final Map<String, EntityDefinition> entities) {
        final Map<String, List<DerivedFeature>> derived = new LinkedHashMap<>();
        if (node.isMissingNode()) {
            return derived;
        }
        if (!node.isArray()) {
            problems.add("'derived' must be a list of derived features");
            return derived;
        }
        for (int i = 0; i < node.size(); i++) {
            final JsonNode item = node.get(i);
            final String name = item.path("name").asText("");
            final String where = "derived[" + i + "]" + (name.isEmpty() ? "" : " '" + name + "'");
            unknownKeys(where, item, DERIVED_KEYS);
            if (name.isEmpty()) {
                problems.add(where + ": 'name' is missing");
                continue;
            }
            final String entity = entity(where, item, entities);
            if (entity == null) {
                continue;
            }
            // What each input reads as, where it is a feature declared above; unknown names are the
            // feature set's to report, with the names it knows.
            final Map<String, ValueType> declared = valueTypes.getOrDefault(entity, Map.of());
            final JsonNode ratio = item.path("ratio");
            if (ratio.isArray() && ratio.size() == 2) {
                for (final JsonNode input : ratio) {
                    final ValueType type = declared.get(input.asText());
                    if (type == ValueType.TEXT || type == ValueType.LIST) {
                        problems.add(where + ": 'ratio': '" + input.asText() + "' reads as " + type
                                + ", so the ratio would never have a value; divide numeric features (counts, sums, ...)");
                    }
                }
                derived.computeIfAbsent(entity, e -> new ArrayList<>())
                        .add(new DerivedFeature.Ratio(name, ratio.get(0).asText(), ratio.get(1).asText()));
            } else if (item.has("seconds_since")) {
                final String since = item.get("seconds_since").asText();
                final ValueType type = declared.get(since);
                if (type != null && type != ValueType.TIMESTAMP) {
                    problems.add(where + ": 'seconds_since': '" + since + "' reads as " + type + ", not a time; "
                            + "give a feature that aggregates event_time (first, last, min, max, avg, a percentile), or "
                            + DerivedFeature.LAST_EVENT);
                }
                derived.computeIfAbsent(entity, e -> new ArrayList<>())
                        .add(new DerivedFeature.SecondsSince(name, since));
            } else {
                problems.add(where + ": give either 'ratio: [numerator, denominator]' or 'seconds_since: <timestamp "
                        + "feature or last_event>'");
            }
        }
        return derived;
    }

    private Duration duration(final String key, final JsonNode node) {
        try {
            final Duration duration = Durations.parse(node.asText());
            if (duration.isNegative()) {
                problems.add("'" + key + "': " + node.asText() + " is negative; give 0 or a positive duration");
                return Duration.ZERO;
            }
            return duration;
        } catch (final IllegalArgumentException e) {
            problems.add("'" + key + "': " + e.getMessage());
            return Duration.ZERO;
        }
    }

    /** A positive duration; whether it is long enough for the windows and lateness is the catalog's to say. */
    private Duration idleExpiry(final JsonNode node) {
        try {
            final Duration expiry = Durations.parse(node.asText());
            if (!expiry.isPositive()) {
                problems.add("'idle_expiry': " + node.asText() + " is not positive; give how long an entity may go "
                        + "without events before its state is removed, e.g. 45d, or leave the key out for the default");
            }
            return expiry;
        } catch (final IllegalArgumentException e) {
            problems.add("'idle_expiry': " + e.getMessage());
            return null;
        }
    }

    private void unknownKeys(final String where, final JsonNode node, final Set<String> known) {
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                problems.add(where + ": unknown key '" + key + "'; known keys: " + new java.util.TreeSet<>(known));
            }
        });
    }
}
