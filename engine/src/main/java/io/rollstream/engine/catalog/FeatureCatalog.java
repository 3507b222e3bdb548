package io.rollstream.engine.catalog;

import io.rollstream.engine.FeatureSet;

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
 * @param fingerprint   identifies the definitions: any change to any feature changes it, and with it
 *                      the application that computes them (so state is rebuilt, never mixed)
 */
public record FeatureCatalog(List<FeatureSet> entities, Duration allowedLateness, Duration dedupeHorizon,
                             String fingerprint) {

    public FeatureCatalog {
        entities = List.copyOf(entities);
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
        return new FeatureCatalog(sets, lateness, defaultDedupeHorizon(lateness), fingerprintOf(sets));
    }

    /**
     * How long event ids are remembered unless a file says otherwise. Bounded because the memory
     * is one id per event: a 30-day lateness would mean a month of ids.
     */
    static Duration defaultDedupeHorizon(final Duration allowedLateness) {
        return allowedLateness.compareTo(MAX_DEFAULT_DEDUPE_HORIZON) < 0 ? allowedLateness : MAX_DEFAULT_DEDUPE_HORIZON;
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
