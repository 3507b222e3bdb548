package io.rollstream.bench;

import java.time.Duration;

/** Durations as people write them ("30 d", "36 h", "2 min", "90 s") rather than ISO-8601 ("PT36H"). */
final class DurationText {

    private DurationText() {
    }

    static String of(final Duration duration) {
        final long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0 && seconds >= 2 * 86_400) {
            return seconds / 86_400 + " d";
        }
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + " h";
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + " min";
        }
        return duration.toMillis() % 1000 == 0 ? seconds + " s" : duration.toMillis() + " ms";
    }
}
