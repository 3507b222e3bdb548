package io.rollstream.engine;

import io.rollstream.engine.tile.TileSeries;

/**
 * Everything the engine keeps for one entity: the event time of the newest event folded in, and
 * one tile series per tile width of its feature set. Mutable; owned by one thread at a time.
 */
public final class EntityState {

    /** No event folded in yet. */
    public static final long NO_EVENT = Long.MIN_VALUE;

    private long newestEventTime = NO_EVENT;
    private final TileSeries[] series;

    public EntityState(final int layoutCount) {
        this.series = new TileSeries[layoutCount];
        for (int i = 0; i < layoutCount; i++) {
            series[i] = new TileSeries();
        }
    }

    public static EntityState emptyFor(final FeatureSet featureSet) {
        return new EntityState(featureSet.layouts().size());
    }

    public long newestEventTime() {
        return newestEventTime;
    }

    public boolean isEmpty() {
        return newestEventTime == NO_EVENT;
    }

    void observe(final long eventTime) {
        if (eventTime > newestEventTime) {
            newestEventTime = eventTime;
        }
    }

    void restoreNewestEventTime(final long eventTime) {
        this.newestEventTime = eventTime;
    }

    public TileSeries series(final int layout) {
        return series[layout];
    }
}
