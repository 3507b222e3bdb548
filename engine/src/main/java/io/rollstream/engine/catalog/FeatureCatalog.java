package io.rollstream.engine.catalog;

import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.Window;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every feature Rollstream computes, per entity, as declared in a features file; plus the settings
 * that apply to all of them.
 *
 * @param dedupeHorizon how long an event id is remembered to drop duplicates
 * @param idleExpiry    how long an entity may go without an event (its newest event time that far
 *                      behind stream time) before its state is removed; empty: never. At least the
 *                      longest window, so that no window loses an event it still covers, and at
 *                      least the allowed lateness, so that every admitted event lands in an entity
 *                      that is not idle
 * @param fingerprint   identifies the definitions: any change to any feature changes it, and with it
 *                      the application that computes them (so state is rebuilt, never mixed)
 */
public record FeatureCatalog(List<FeatureSet> entities, Duration allowedLateness, Duration dedupeHorizon,
                             Optional<Duration> idleExpiry, String fingerprint) {

    public FeatureCatalog {
        entities = List.copyOf(entities);
        if (idleExpiry.isPresent()) {
            checkIdleExpiry(idleExpiry.get(), entities, allowedLateness);
        }
    }

    /** Producers retry within seconds or minutes; a day of event ids covers that with room to spare. */
    static final Duration MAX_DEFAULT_DEDUPE_HORIZON = Duration.ofHours(24);

    /**
     * A catalog of these feature sets, with the defaults a features file gets: the allowed
     * lateness of the most tolerant set, and a dedupe horizon of that or a day, whichever is shorter.
     */
    public static FeatureCatalog of(final List<FeatureSet> sets) {
        final Duration lateness = sets.stream().map(FeatureSet::allowedLateness).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        return new FeatureCatalog(sets, lateness, defaultDedupeHorizon(lateness), defaultIdleExpiry(sets, lateness),
                fingerprintOf(sets));
    }

    /**
     * How long event ids are remembered unless a file says otherwise. Bounded because the memory
     * is one id per event: a 30-day lateness would mean a month of ids.
     */
    static Duration defaultDedupeHorizon(final Duration allowedLateness) {
        return allowedLateness.compareTo(MAX_DEFAULT_DEDUPE_HORIZON) < 0 ? allowedLateness : MAX_DEFAULT_DEDUPE_HORIZON;
    }

    /**
     * How long an entity may be idle unless a file says otherwise: the longest window plus the
     * allowed lateness. Past the longest window alone every event of the entity has left every
     * window read at stream time (they read zero); the lateness (by default the longest window
     * again) adds room for the oldest tile's edge and for readers whose clock is behind stream
     * time, and lets an event admitted however late keep its entity for at least the longest window
     * after it arrived. Never, when there is no finite window (lifetime features are then all the
     * state is for) or no lateness limit (an event of any age is folded in).
     */
    static Optional<Duration> defaultIdleExpiry(final List<FeatureSet> sets, final Duration allowedLateness) {
        final Optional<Duration> longest = longestWindow(sets);
        if (longest.isEmpty() || unlimited(allowedLateness)) {
            return Optional.empty();
        }
        return Optional.of(longest.get().plus(allowedLateness));
    }

    private static void checkIdleExpiry(final Duration expiry, final List<FeatureSet> sets,
                                        final Duration allowedLateness) {
        if (!expiry.isPositive()) {
            throw new IllegalArgumentException(text(expiry) + " is not positive; give how long an entity may go "
                    + "without events before its state is removed, e.g. 45d");
        }
        final Optional<Duration> longest = longestWindow(sets);
        if (longest.isPresent() && expiry.compareTo(longest.get()) < 0) {
            throw new IllegalArgumentException(text(expiry) + " is shorter than the longest window, "
                    + text(longest.get()) + ", which would lose events it still covers; give at least "
                    + text(longest.get()) + ", or leave the key out for " + defaultIdleExpiry(sets, allowedLateness)
                    .map(FeatureCatalog::text).orElse("no expiry") + " (the longest window plus the allowed lateness)");
        }
        if (unlimited(allowedLateness)) {
            throw new IllegalArgumentException("entities cannot expire while the allowed lateness is unlimited (an "
                    + "entity has only lifetime features and the file sets no allowed_lateness), as an event of any "
                    + "age is folded in; set allowed_lateness to at most " + text(expiry) + " as well");
        }
        if (expiry.compareTo(allowedLateness) < 0) {
            throw new IllegalArgumentException(text(expiry) + " is shorter than the allowed lateness, "
                    + text(allowedLateness) + ", so an event admitted that late could land in an entity already "
                    + "idle; give at least " + text(allowedLateness) + ", or lower allowed_lateness");
        }
    }

    /** A duration as windows are labelled: 45d, 24h, 90m, 30s (ISO-8601 for anything finer). */
    private static String text(final Duration duration) {
        final long seconds = duration.getSeconds();
        if (duration.getNano() != 0 || seconds == 0) {
            return duration.toString();
        }
        if (seconds % 86_400 == 0 && Math.abs(seconds) >= 2 * 86_400) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** The longest finite window of any feature; empty when every feature is a lifetime one. */
    private static Optional<Duration> longestWindow(final List<FeatureSet> sets) {
        return sets.stream().flatMap(set -> set.features().stream()).map(FeatureDefinition::window)
                .filter(window -> !window.isLifetime()).map(Window::length).max(Duration::compareTo);
    }

    /** The lateness of a set with lifetime features only and none declared: any event is admitted. */
    private static boolean unlimited(final Duration allowedLateness) {
        return allowedLateness.compareTo(Window.LIFETIME.length()) >= 0;
    }

    /** A short hex digest of every entity's definitions, in order. */
    static String fingerprintOf(final List<FeatureSet> sets) {
        final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (final FeatureSet set : sets) {
            crc.update(Integer.toHexString(set.fingerprint()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return java.util.HexFormat.of().toHexDigits((int) crc.getValue());
    }

    public Optional<FeatureSet> entity(final String name) {
        return entities.stream().filter(set -> set.entity().equals(name)).findFirst();
    }

    public Map<String, FeatureSet> byEntity() {
        return entities.stream().collect(Collectors.toMap(FeatureSet::entity, Function.identity(),
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    public int featureCount() {
        return entities.stream().mapToInt(set -> set.features().size() + set.derived().size()).sum();
    }
}
