package io.rollstream.engine;

import io.rollstream.engine.tile.TileLayout;
import io.rollstream.engine.tile.TileSeries;
import io.rollstream.schemas.ClickEvent;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one aggregation code path: folds events into an entity's tiles and reads features by
 * merging the tiles inside each window. It knows nothing of Kafka, so the streaming topology,
 * replays and training-set builds all run exactly this code.
 */
public final class FeatureEngine {

    private final FeatureSet featureSet;
    private final List<TileLayout> layouts;
    private final long maxAheadOfReadersMs;

    /** An engine for events never ahead of the clock their entity is read at, and for readers that never fold. */
    public FeatureEngine(final FeatureSet featureSet) {
        this(featureSet, Duration.ZERO);
    }

    /**
     * @param maxAheadOfReaders how far an admitted event's time may be ahead of the clocks its entity
     *                          is read at (the topology's is {@code ClockSkew#eventsAheadOfReaders}):
     *                          tiles are kept for windows read that much before the newest event
     *                          time, so an event from a fast clock does not drop the oldest tiles of
     *                          windows read at the true time
     */
    public FeatureEngine(final FeatureSet featureSet, final Duration maxAheadOfReaders) {
        if (maxAheadOfReaders.isNegative()) {
            throw new IllegalArgumentException("how far events may be ahead of readers must not be negative, got "
                    + maxAheadOfReaders);
        }
        this.featureSet = featureSet;
        this.layouts = featureSet.layouts();
        this.maxAheadOfReadersMs = maxAheadOfReaders.toMillis();
    }

    public FeatureSet featureSet() {
        return featureSet;
    }

    public EntityState newState() {
        return EntityState.emptyFor(featureSet);
    }

    /**
     * Folds one event into the entity's state. Tiles that no window can reach any more are dropped
     * on the way, so state stays bounded per entity: no window read at or after the entity's newest
     * event time minus how far events may be ahead of readers, the earliest instant a reader's clock
     * can show once that event was admitted. An event older than that in every tile width changes
     * nothing.
     * Whether an event is too late to accept is the caller's decision (it owns the clock). An
     * event of a type no feature looks at ({@link FeatureSet#looksAt}) leaves the state as it is.
     */
    public void fold(final EntityState state, final ClickEvent event) {
        if (!featureSet.looksAt(event)) {
            return;
        }
        final long eventTime = event.getEventTime().toEpochMilli();
        state.observe(eventTime);
        final long reference = state.newestEventTime() - maxAheadOfReadersMs;
        final List<FeatureDefinition> features = featureSet.features();
        for (int l = 0; l < layouts.size(); l++) {
            final TileLayout layout = layouts.get(l);
            final TileSeries series = state.series(l);
            final long tileStart = layout.tileStart(eventTime);
            if (layout.isLive(tileStart, reference)) {
                Object[] slots = null;
                final int[] slotFeatures = layout.slotFeatures();
                for (int slot = 0; slot < slotFeatures.length; slot++) {
                    final FeatureDefinition feature = features.get(slotFeatures[slot]);
                    if (feature.accepts(event)) {
                        if (slots == null) {
                            slots = series.getOrCreate(tileStart, slotFeatures.length);
                        }
                        if (slots[slot] == null) {
                            slots[slot] = feature.newAccumulator();
                        }
                        feature.add(slots[slot], event);
                    }
                }
            }
            series.evict(layout, reference);
        }
    }

    /** Reads every feature with windows anchored at {@code asOf} (epoch millis). */
    public FeatureVector read(final EntityState state, final long asOf) {
        final List<FeatureDefinition> features = featureSet.features();
        final Map<String, Object> values = new LinkedHashMap<>(features.size() * 2);
        final long[] holdsUntil = {Long.MAX_VALUE};
        for (int f = 0; f < features.size(); f++) {
            values.put(features.get(f).name(), readOne(state, f, asOf, holdsUntil));
        }
        for (final DerivedFeature derived : featureSet.derived()) {
            values.put(derived.name(), derived.compute(values, asOf, state.newestEventTime()));
        }
        return new FeatureVector(asOf, state.newestEventTime(), values, holdsUntil[0]);
    }

    /**
     * Reads only the named features (and the features a named derived one is computed from), with
     * windows anchored at {@code asOf}: a scorer that asks for three features pays for three.
     *
     * @throws IllegalArgumentException for a name that is not a feature of this set
     */
    public FeatureVector read(final EntityState state, final long asOf, final Collection<String> names) {
        final List<FeatureDefinition> features = featureSet.features();
        final List<DerivedFeature> allDerived = featureSet.derived();
        final Set<String> needed = new HashSet<>(names);
        // Latest first: a derived feature may read derived features declared before it.
        final boolean[] derivedNeeded = new boolean[allDerived.size()];
        for (int d = allDerived.size() - 1; d >= 0; d--) {
            if (needed.contains(allDerived.get(d).name())) {
                derivedNeeded[d] = true;
                needed.addAll(allDerived.get(d).inputs());
            }
        }
        final Map<String, Object> values = new LinkedHashMap<>(needed.size() * 2);
        final long[] holdsUntil = {Long.MAX_VALUE};
        for (int f = 0; f < features.size(); f++) {
            if (needed.remove(features.get(f).name())) {
                values.put(features.get(f).name(), readOne(state, f, asOf, holdsUntil));
            }
        }
        for (int d = 0; d < allDerived.size(); d++) {
            if (derivedNeeded[d]) {
                final DerivedFeature derived = allDerived.get(d);
                needed.remove(derived.name());
                values.put(derived.name(), derived.compute(values, asOf, state.newestEventTime()));
            }
        }
        if (!needed.isEmpty()) {
            throw new IllegalArgumentException("no such feature of '" + featureSet.entity() + "': " + new TreeSet<>(needed));
        }
        return new FeatureVector(asOf, state.newestEventTime(), values, holdsUntil[0]);
    }

    /**
     * One feature at {@code asOf}; lowers {@code holdsUntil[0]} to the first later instant at which
     * it could read differently: the oldest tile it merged leaves the window at its start plus one
     * tile width plus the window's length; a tile ahead of {@code asOf} (an event from the future)
     * enters at its start; and the aggregation may say when its result moves by itself.
     */
    private Object readOne(final EntityState state, final int featureIndex, final long asOf, final long[] holdsUntil) {
        final FeatureDefinition feature = featureSet.features().get(featureIndex);
        final int layoutIndex = featureSet.layoutOf(featureIndex);
        final int slot = featureSet.slotOf(featureIndex);
        final TileLayout layout = layouts.get(layoutIndex);
        final TileSeries series = state.series(layoutIndex);
        final long lengthMs = feature.window().lengthMs();
        final long oldestStart = layout.tileStart(asOf - lengthMs);
        final Object merged = feature.newAccumulator();
        long until = holdsUntil[0];
        // Tiles from the one holding (asOf - length) up to asOf: the window plus under one tile width.
        for (int i = series.size() - 1; i >= 0; i--) {
            final long start = series.startAt(i);
            if (start < oldestStart) {
                break;
            }
            final Object partial = series.slotsAt(i)[slot];
            if (partial == null) {
                continue;
            }
            if (start > asOf) {
                until = Math.min(until, start);
                continue;
            }
            feature.merge(merged, partial);
            until = Math.min(until, start + layout.widthMs() + lengthMs);
        }
        holdsUntil[0] = Math.min(until, feature.resultHoldsUntil(merged, asOf));
        return feature.result(merged, asOf);
    }
}
