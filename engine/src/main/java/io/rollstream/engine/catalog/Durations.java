package io.rollstream.engine.catalog;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations of a features file: {@code 90s}, {@code 5m}, {@code 24h}, {@code 7d} or ISO-8601 {@code PT5M}. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

    private Durations() {
    }

    /** @throws IllegalArgumentException saying what a duration looks like */
    static Duration parse(final String text) {
        final String trimmed = text == null ? "" : text.trim();
        final Matcher matcher = SHORT.matcher(trimmed);
        if (matcher.matches()) {
            final long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(trimmed);
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write it like 90s, 5m, 24h, 7d or PT5M");
        }
    }
}
