package io.rollstream.engine;

import java.time.Duration;
import java.util.List;

/**
 * Picks the tile width of a window: the widest standard width that splits the window into at
 * least {@value #MIN_TILES_PER_WINDOW} tiles, so the edge error stays under 1/60 of the window
 * (1 minute for 1 hour, 15 minutes for 24 hours) while a read merges at most a few hundred tiles.
 * Standard widths (rather than window/60 exactly) let windows of similar length share tiles.
 */
public final class TileWidths {

    static final int MIN_TILES_PER_WINDOW = 60;

    private static final List<Duration> STANDARD = List.of(
            Duration.ofDays(1),
            Duration.ofHours(12),
            Duration.ofHours(6),
            Duration.ofHours(3),
            Duration.ofHours(1),
            Duration.ofMinutes(30),
            Duration.ofMinutes(15),
            Duration.ofMinutes(5),
            Duration.ofMinutes(1),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1));

    private TileWidths() {
    }

    public static Duration forWindow(final Duration window) {
        final Duration target = window.dividedBy(MIN_TILES_PER_WINDOW);
        for (final Duration width : STANDARD) {
            if (width.compareTo(target) <= 0) {
                return width;
            }
        }
        // Windows under a minute: one-second tiles, the finest event time we aggregate at.
        return Duration.ofSeconds(1).compareTo(window) <= 0 ? Duration.ofSeconds(1) : window;
    }
}
