package io.rollstream.bench.serving;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Progress lines stamped with the time since the start, and the closing {@code key=value} line. */
final class Report {

    private final PrintStream progress;
    private final long startNanos = System.nanoTime();
    private final Map<String, String> summary = new LinkedHashMap<>();

    Report(final PrintStream progress) {
        this.progress = progress;
    }

    void say(final String format, final Object... args) {
        progress.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(Locale.ROOT, format, args));
        progress.flush();
    }

    PrintStream progress() {
        return progress;
    }

    void put(final String key, final String value) {
        if (key.isBlank() || key.contains(" ") || key.contains("=") || value.contains(" ")) {
            throw new IllegalArgumentException("summary keys and values may not hold spaces: " + key + "=" + value);
        }
        summary.put(key, value);
    }

    void put(final String key, final long value) {
        put(key, Long.toString(value));
    }

    void put(final String key, final double value, final int decimals) {
        put(key, Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    String summaryLine() {
        return summary.entrySet().stream().map(pair -> pair.getKey() + "=" + pair.getValue()).collect(Collectors.joining(" "));
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
