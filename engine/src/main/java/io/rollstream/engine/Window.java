package io.rollstream.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * A sliding window anchored at query time: "the last {@code length}" before the moment a feature
 * is read, whatever the time of the entity's last event.
 *
 * <p>The engine keeps partial aggregates per tile of {@code tileWidth} and merges the tiles from the
 * one holding {@code asOf - length} up to {@code asOf}: a read at T counts the events with event
 * time in {@code [floor(T - length, tileWidth), T]}. A window therefore always covers its whole
 * length, and less than one tile width more on its old edge: the tile width bounds the edge error.
 */
public record Window(Duration length, Duration tileWidth) {

    /**
     * "Since the beginning": one tile that never expires. Its length is long enough that every
     * event time since 1970 falls in the same tile.
     */
    public static final Window LIFETIME = new Window(Duration.ofDays(365L * 10_000), Duration.ofDays(365L * 10_000));

    public Window {
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(tileWidth, "tileWidth");
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("window length must be positive, got " + length);
        }
        if (tileWidth.isNegative() || tileWidth.isZero() || tileWidth.compareTo(length) > 0) {
            throw new IllegalArgumentException(
                    "tile width must be positive and at most the window length " + length + ", got " + tileWidth);
        }
    }

    /** A window of {@code length} with the tile width {@link TileWidths#forWindow} picks. */
    public static Window of(final Duration length) {
        return new Window(length, TileWidths.forWindow(length));
    }

    public long lengthMs() {
        return length.toMillis();
    }

    public long tileWidthMs() {
        return tileWidth.toMillis();
    }

    public boolean isLifetime() {
        return equals(LIFETIME);
    }

    /** Short label used in feature names: 5m, 1h, 24h, 7d, lifetime. */
    public String label() {
        if (isLifetime()) {
            return "lifetime";
        }
        final long seconds = length.toSeconds();
        if (seconds % 86_400 == 0 && seconds >= 86_400 * 2) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
