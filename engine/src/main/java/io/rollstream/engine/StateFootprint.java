package io.rollstream.engine;

import io.rollstream.engine.io.ByteWriter;
import io.rollstream.engine.tile.TileLayout;
import io.rollstream.engine.tile.TileSeries;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the head records of a feature set's entities are made of, accumulator slot by slot: the
 * bytes each slot takes in the tiles a head carries, split between tiles that changed since the
 * entity was last written and tiles a head rewrite merely copies again. For deciding what a
 * feature costs in storage and changelog volume (the features file names the largest
 * {@link #slots} when it refuses an entity); the fold and the codec never call it.
 *
 * <p>Use it around {@link EntityStateCodec#writeChanges}: {@link #changedTiles} before (the codec
 * forgets which tiles changed as it writes them), {@link #addHead} after (it decides which tiles
 * the head carries).
 */
public final class StateFootprint {

    /** One accumulator slot of one tile width, and the features that read it. */
    public record Slot(TileLayout layout, List<FeatureDefinition> features) {
    }

    private final FeatureSet featureSet;
    private final List<Slot> slots = new ArrayList<>();
    /** Index into {@link #slots} of each layout's first slot. */
    private final int[] firstSlot;
    private final long[] changedBytes;
    private final long[] copiedBytes;
    private final ByteWriter scratch = new ByteWriter(256);

    public StateFootprint(final FeatureSet featureSet) {
        this.featureSet = featureSet;
        final List<TileLayout> layouts = featureSet.layouts();
        this.firstSlot = new int[layouts.size()];
        for (int l = 0; l < layouts.size(); l++) {
            firstSlot[l] = slots.size();
            for (int s = 0; s < layouts.get(l).slots(); s++) {
                final List<FeatureDefinition> readers = new ArrayList<>();
                for (int f = 0; f < featureSet.features().size(); f++) {
                    if (featureSet.layoutOf(f) == l && featureSet.slotOf(f) == s) {
                        readers.add(featureSet.features().get(f));
                    }
                }
                slots.add(new Slot(layouts.get(l), List.copyOf(readers)));
            }
        }
        this.changedBytes = new long[slots.size()];
        this.copiedBytes = new long[slots.size()];
    }

    /** Per layout, per tile: whether it changed since the entity was last written (or read). */
    public static boolean[][] changedTiles(final EntityState state, final FeatureSet featureSet) {
        final boolean[][] changed = new boolean[featureSet.layouts().size()][];
        for (int l = 0; l < changed.length; l++) {
            final TileSeries series = state.series(l);
            changed[l] = new boolean[series.size()];
            for (int t = 0; t < series.size(); t++) {
                changed[l][t] = series.imageAt(t) == null;
            }
        }
        return changed;
    }

    /**
     * Adds the accumulators of the tiles the head just written carries (not those stored alone).
     *
     * @param changed what {@link #changedTiles} said before the write
     */
    public void addHead(final EntityState state, final boolean[][] changed) {
        final List<TileLayout> layouts = featureSet.layouts();
        for (int l = 0; l < layouts.size(); l++) {
            final TileSeries series = state.series(l);
            final int[] slotFeatures = layouts.get(l).slotFeatures();
            for (int t = 0; t < series.size(); t++) {
                if (series.isStoredAlone(t)) {
                    continue;
                }
                final Object[] accumulators = series.slotsAt(t);
                final long[] into = changed[l][t] ? changedBytes : copiedBytes;
                for (int s = 0; s < accumulators.length; s++) {
                    if (accumulators[s] != null) {
                        into[firstSlot[l] + s] += encodedSize(featureSet.features().get(slotFeatures[s]),
                                accumulators[s], series.startAt(t));
                    }
                }
            }
        }
    }

    private int encodedSize(final FeatureDefinition feature, final Object accumulator, final long tileStart) {
        scratch.reset();
        try {
            feature.write(accumulator, scratch, tileStart);
        } catch (final IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return scratch.size();
    }

    public List<Slot> slots() {
        return List.copyOf(slots);
    }

    /** Bytes of the slot's accumulators in heads, in tiles that had changed. */
    public long changedBytes(final int slot) {
        return changedBytes[slot];
    }

    /** Bytes of the slot's accumulators in heads, in tiles written again unchanged. */
    public long copiedBytes(final int slot) {
        return copiedBytes[slot];
    }
}
