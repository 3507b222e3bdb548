package io.rollstream.offline.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a replay starts or stops, as a user writes it: {@code earliest}, {@code end} (the end
 * offsets when the replay starts), an ISO-8601 instant ({@code 2026-12-07T12:00:00Z}: the first
 * record stamped at or after it), a duration ago ({@code 2h}, {@code 30m}, {@code 7d}), or offsets
 * by partition ({@code 0:1200,2:80}; partitions not named start at the earliest or stop at the end).
 */
public sealed interface Position {

    /** The first offset each partition still holds. */
    record Earliest() implements Position {
    }

    /** Each partition's end offset (its last committed record, plus one) when the replay starts. */
    record End() implements Position {
    }

    /** The first offset of each partition whose record timestamp is at or after {@code time}. */
    record AtTime(Instant time) implements Position {
    }

    /** The given offset of each partition named. */
    record AtOffsets(Map<Integer, Long> offsets) implements Position {
        public AtOffsets {
            offsets = Map.copyOf(offsets);
        }
    }

    Pattern AGO = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    Pattern OFFSET = Pattern.compile("(\\d+):(\\d+)");

    /**
     * @throws IllegalArgumentException naming the text and the forms it may take
     */
    static Position parse(final String text, final Clock clock) {
        final String trimmed = text.trim();
        if (trimmed.equals("earliest") || trimmed.equals("beginning")) {
            return new Earliest();
        }
        if (trimmed.equals("end") || trimmed.equals("now") || trimmed.equals("latest")) {
            return new End();
        }
        final Matcher ago = AGO.matcher(trimmed);
        if (ago.matches()) {
            final long amount = Long.parseLong(ago.group(1));
            final Duration duration = switch (ago.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return new AtTime(clock.instant().minus(duration));
        }
        if (trimmed.contains(":") && !trimmed.contains("T")) {
            final Map<Integer, Long> offsets = new LinkedHashMap<>();
            for (final String part : trimmed.split(",")) {
                final Matcher offset = OFFSET.matcher(part.trim());
                if (!offset.matches()) {
                    throw invalid(text);
                }
                if (offsets.put(Integer.parseInt(offset.group(1)), Long.parseLong(offset.group(2))) != null) {
                    throw new IllegalArgumentException("'" + text + "' names partition " + offset.group(1)
                            + " twice; give each partition one offset");
                }
            }
            return new AtOffsets(offsets);
        }
        try {
            return new AtTime(Instant.parse(trimmed));
        } catch (final DateTimeParseException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(final String text) {
        return new IllegalArgumentException("'" + text + "' is not a position; write earliest, end, an ISO-8601 "
                + "instant with its zone (2026-12-07T12:00:00Z), a duration ago (2h, 30m, 7d), or offsets by "
                + "partition (0:1200,2:80)");
    }
}
