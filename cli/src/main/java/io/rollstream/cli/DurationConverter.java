package io.rollstream.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations on the command line as people write them: {@code 250ms}, {@code 90s}, {@code 5m}, {@code 24h}, {@code 31d}, or ISO-8601. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(final String text) {
        final Matcher matcher = SHORT.matcher(text.trim());
        if (matcher.matches()) {
            final long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (final DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration; write it like 500ms, 90s, "
                    + "5m, 24h, 31d or PT5M");
        }
    }
}
