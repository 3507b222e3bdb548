package io.rollstream.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entity's features as the feature store answered them, with what a scorer needs to judge
 * their freshness.
 *
 * <p>The typed accessors read one feature each. A name the vector does not hold (misspelt, or left
 * out by a feature filter) is an {@link IllegalArgumentException} naming it; a feature whose value
 * is {@code null} (nothing to aggregate in the window) is an empty optional, a default or an empty
 * list, so a scorer never meets a {@code null} unless it reads {@link #raw()}.
 *
 * @param entity          the entity type, such as {@code user}
 * @param id              the entity id, as asked
 * @param asOf            the instant the windows were anchored at
 * @param found           whether the store has ever seen this entity; unseen ones carry zero-valued features
 * @param stale           whether a standby replica answered because the owner could not
 * @param servedBy        the {@code host:port} of the instance that read the store
 * @param newestEventTime the event time of the newest event folded into this entity's features
 * @param lagRecords      how many records the serving instance had not yet applied to its store
 * @param raw             the features by name: {@code Long}, {@code Double}, {@code String}, {@code Boolean},
 *                        {@code List}, {@code Map} or {@code null}
 */
public record FeatureVector(String entity, String id, Instant asOf, boolean found, boolean stale, String servedBy,
                            Optional<Instant> newestEventTime, long lagRecords, Map<String, Object> raw) {

    public FeatureVector {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(servedBy, "servedBy");
        Objects.requireNonNull(newestEventTime, "newestEventTime");
        // Not Map.copyOf: a feature's value may be null.
        raw = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(raw, "raw")));
    }

    /** The names of the features this vector holds. */
    public Set<String> featureNames() {
        return raw.keySet();
    }

    /** A whole-number feature (a count, a sum of integers); empty when its value is null. */
    public OptionalLong getLong(final String name) {
        final Object value = value(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return OptionalLong.of(((Number) value).longValue());
        }
        if (value instanceof Number number) {
            final double d = number.doubleValue();
            // A serializer may write a whole double as 3.0; that still is the whole number 3.
            if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return OptionalLong.of((long) d);
            }
        }
        throw wrongType(name, value, "a whole number", "getDouble");
    }

    public long getLong(final String name, final long defaultValue) {
        return getLong(name).orElse(defaultValue);
    }

    /** A numeric feature (a ratio, an average, a percentile; counts read fine too); empty when null. */
    public OptionalDouble getDouble(final String name) {
        final Object value = value(name);
        if (value == null) {
            return OptionalDouble.empty();
        }
        if (value instanceof Number number) {
            return OptionalDouble.of(number.doubleValue());
        }
        throw wrongType(name, value, "a number", "getString");
    }

    public double getDouble(final String name, final double defaultValue) {
        return getDouble(name).orElse(defaultValue);
    }

    /** A text feature (a last value such as the last search query); empty when null. */
    public Optional<String> getString(final String name) {
        final Object value = value(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        throw wrongType(name, value, "a string", "raw()");
    }

    /** A list of text values (a last-k feature), oldest to newest as the server sent them; empty when null. */
    public List<String> getStringList(final String name) {
        final List<?> list = list(name);
        final List<String> strings = new ArrayList<>(list.size());
        for (final Object element : list) {
            if (!(element instanceof String text)) {
                throw wrongType(name, list, "a list of strings", "raw()");
            }
            strings.add(text);
        }
        return Collections.unmodifiableList(strings);
    }

    /** A top-k feature: the most frequent values with their counts, most frequent first; empty when null. */
    public List<ItemCount> getTopK(final String name) {
        final List<?> list = list(name);
        final List<ItemCount> items = new ArrayList<>(list.size());
        for (final Object element : list) {
            if (!(element instanceof Map<?, ?> entry && entry.get("value") instanceof String value
                    && entry.get("count") instanceof Number count)) {
                throw wrongType(name, list, "a list of {\"value\": string, \"count\": number}", "raw()");
            }
            items.add(new ItemCount(value, count.longValue()));
        }
        return Collections.unmodifiableList(items);
    }

    private List<?> list(final String name) {
        final Object value = value(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw wrongType(name, value, "a list", "raw()");
    }

    private Object value(final String name) {
        Objects.requireNonNull(name, "name");
        if (!raw.containsKey(name)) {
            throw new IllegalArgumentException("no feature '" + name + "' in the features of " + entity + " '" + id
                    + "'; it holds " + new TreeSet<>(raw.keySet())
                    + ". Check the spelling, and that a feature filter passed to get/getBatch includes it");
        }
        return raw.get(name);
    }

    private IllegalArgumentException wrongType(final String name, final Object value, final String wanted,
                                               final String instead) {
        return new IllegalArgumentException("feature '" + name + "' of " + entity + " '" + id + "' is " + value
                + " (" + kind(value) + "), not " + wanted + "; read it with " + instead);
    }

    private static String kind(final Object value) {
        return switch (value) {
            case Long _, Integer _, Short _, Byte _ -> "a whole number";
            case Number _ -> "a decimal number";
            case String _ -> "a string";
            case Boolean _ -> "a boolean";
            case List<?> _ -> "a list";
            case Map<?, ?> _ -> "an object";
            default -> value.getClass().getSimpleName();
        };
    }
}
