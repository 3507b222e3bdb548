package io.rollstream.schemas.contract;

import java.time.Duration;

/** Values as the contract's error messages show them: short, and durations the way a person writes them. */
public final class Texts {

    private static final int MAX_QUOTED = 40;

    private Texts() {
    }

    /** {@code text}, cut to a length that keeps an error message readable. */
    public static String abbreviate(final String text) {
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED - 3) + "...";
    }

    /** {@code 30d}, {@code 5m}, {@code 90s}, {@code 250ms}: the largest unit that divides it. */
    public static String duration(final Duration duration) {
        final long millis = duration.toMillis();
        if (millis != 0 && millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
