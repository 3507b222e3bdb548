package io.rollstream.engine;

import io.rollstream.engine.tile.TileLayout;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The features computed for one entity (user, item, ...), grouped by tile width so that one event
 * touches one tile per width, however many features share that width; within a width, features
 * that keep the same state share one accumulator.
 */
public final class FeatureSet {

    private final EntityDefinition entity;
    private final List<FeatureDefinition> features;
    private final List<DerivedFeature> derived;
    private final List<TileLayout> layouts;
    /** For feature i: which layout holds it, and which slot in that layout's tiles. */
    private final int[] layoutOf;
    private final int[] slotOf;
    private final Duration allowedLateness;
    private final int fingerprint;
    /** The event types at least one feature of the set looks at. */
    private final Set<EventType> eventTypes = EnumSet.noneOf(EventType.class);

    public FeatureSet(final EntityDefinition entity, final List<FeatureDefinition> features) {
        this(entity, features, List.of(), null);
    }

    /**
     * @param allowedLateness how late an event may arrive and still be folded in; {@code null}
     *                        means the longest finite window, the point after which it could not
     *                        change any windowed feature anyway (with lifetime features only:
     *                        no limit)
     */
    public FeatureSet(final EntityDefinition entity, final List<FeatureDefinition> features,
                      final List<DerivedFeature> derived, final Duration allowedLateness) {
        this.entity = Objects.requireNonNull(entity, "entity");
        if (features.isEmpty()) {
            throw new IllegalArgumentException("entity '" + entity.name() + "' declares no features");
        }
        this.features = List.copyOf(features);
        this.derived = List.copyOf(derived);
        final Set<String> names = new HashSet<>();
        for (final FeatureDefinition feature : features) {
            if (!names.add(feature.name())) {
                throw new IllegalArgumentException("entity '" + entity.name() + "' declares feature '" + feature.name()
                        + "' twice; feature names must be unique");
            }
        }
        for (final DerivedFeature feature : derived) {
            for (final String input : feature.inputs()) {
                if (!names.contains(input)) {
                    throw new IllegalArgumentException("derived feature '" + feature.name() + "' of entity '"
                            + entity.name() + "' reads '" + input + "', which is not a feature of that entity "
                            + "declared before it");
                }
            }
            if (!names.add(feature.name())) {
                throw new IllegalArgumentException("entity '" + entity.name() + "' declares feature '" + feature.name()
                        + "' twice; feature names must be unique");
            }
        }

        final Map<Long, List<Integer>> byWidth = new LinkedHashMap<>();
        for (int i = 0; i < features.size(); i++) {
            byWidth.computeIfAbsent(features.get(i).window().tileWidthMs(), w -> new ArrayList<>()).add(i);
        }
        this.layoutOf = new int[features.size()];
        this.slotOf = new int[features.size()];
        final List<TileLayout> built = new ArrayList<>();
        for (final Map.Entry<Long, List<Integer>> entry : byWidth.entrySet()) {
            long retention = 0;
            // One slot per distinct accumulator: features that keep the same state (the readings of
            // sessions, say) share it, and the slot's first feature folds and stores it.
            final Map<Object, Integer> slotOfState = new LinkedHashMap<>();
            final List<Integer> slotFeatures = new ArrayList<>();
            for (final int feature : entry.getValue()) {
                final int slot = slotOfState.computeIfAbsent(features.get(feature).stateKey(), state -> {
                    slotFeatures.add(feature);
                    return slotFeatures.size() - 1;
                });
                layoutOf[feature] = built.size();
                slotOf[feature] = slot;
                retention = Math.max(retention, features.get(feature).window().lengthMs());
            }
            built.add(new TileLayout(entry.getKey(), retention, slotFeatures.stream().mapToInt(Integer::intValue).toArray()));
        }
        this.layouts = List.copyOf(built);
        for (final FeatureDefinition feature : features) {
            eventTypes.addAll(feature.eventTypes());
        }

        // Without a finite window every event, however old, still changes a lifetime feature.
        final Duration longest = Duration.ofMillis(features.stream().map(FeatureDefinition::window)
                .filter(window -> !window.isLifetime()).mapToLong(Window::lengthMs).max()
                .orElse(Window.LIFETIME.lengthMs()));
        this.allowedLateness = allowedLateness == null ? longest : allowedLateness;
        this.fingerprint = fingerprintOf(entity, features, derived);
    }

    /** The entity's name, as used in store names and the HTTP path. */
    public String entity() {
        return entity.name();
    }

    public EntityDefinition entityDefinition() {
        return entity;
    }

    public List<DerivedFeature> derived() {
        return derived;
    }

    public List<FeatureDefinition> features() {
        return features;
    }

    public List<TileLayout> layouts() {
        return layouts;
    }

    /**
     * Whether any feature of the set looks at events of this event's type. An event none of them
     * looks at changes nothing of the entity, not even its newest event time, so it is not folded
     * in, stored, or moved to the entity's partition.
     */
    public boolean looksAt(final ClickEvent event) {
        return eventTypes.contains(event.getEventType());
    }

    /** The event types at least one feature of the set looks at. */
    public Set<EventType> eventTypes() {
        return Collections.unmodifiableSet(eventTypes);
    }

    public Duration allowedLateness() {
        return allowedLateness;
    }

    /**
     * A hash of every definition's meaning and of the state's binary form. Stored with each
     * entity's state, and part of store names and the application id, so that state built by
     * another definition or written in another form is never read as this one's.
     */
    public int fingerprint() {
        return fingerprint;
    }

    int layoutOf(final int feature) {
        return layoutOf[feature];
    }

    int slotOf(final int feature) {
        return slotOf[feature];
    }

    private static int fingerprintOf(final EntityDefinition entity, final List<FeatureDefinition> features,
                                     final List<DerivedFeature> derived) {
        final CRC32 crc = new CRC32();
        // The state's binary form too: a new form needs new stores, rebuilt from the events topic.
        crc.update(EntityStateCodec.FORMAT);
        crc.update(entity.signature().getBytes(StandardCharsets.UTF_8));
        for (final FeatureDefinition feature : features) {
            crc.update(feature.signature().getBytes(StandardCharsets.UTF_8));
        }
        for (final DerivedFeature feature : derived) {
            crc.update(feature.signature().getBytes(StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }
}
