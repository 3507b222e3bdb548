package io.rollstream.engine.tile;

/**
 * The features that share one tile width: each tile of this width holds one accumulator slot per
 * distinct state among them; {@code slotFeatures[slot]} is the feature that folds and stores the
 * slot (features keeping the same state read the same slot). Tiles are kept for
 * {@code retentionMs}, the longest window among those features.
 */
public record TileLayout(long widthMs, long retentionMs, int[] slotFeatures) {

    public int slots() {
        return slotFeatures.length;
    }

    /** Start of the tile that holds event time {@code timeMs}. */
    public long tileStart(final long timeMs) {
        return Math.floorDiv(timeMs, widthMs) * widthMs;
    }

    /**
     * Whether a tile can still fall inside a window of this layout read at or after
     * {@code referenceMs}: only tiles from the one holding {@code referenceMs - retention} on can.
     */
    public boolean isLive(final long tileStart, final long referenceMs) {
        return tileStart + widthMs > referenceMs - retentionMs;
    }

    /**
     * The most tiles a series of this layout holds when its tiles are kept for windows read up to
     * {@code aheadOfReadersMs} before the newest event time N (see {@code FeatureEngine}): they
     * start after N - ahead - retention - width ({@link #isLive}) and at most at N, a span of
     * retention + ahead + width holding at most ceil((retention + ahead) / width) + 1 tile starts.
     */
    public long maxTiles(final long aheadOfReadersMs) {
        return Math.ceilDiv(retentionMs + aheadOfReadersMs, widthMs) + 1;
    }
}
