package io.rollstream.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The benchmark's last line: space-separated {@code key=value} pairs, for scripts and the docs. */
final class SummaryLine {

    private final Map<String, String> pairs = new LinkedHashMap<>();

    SummaryLine put(final String key, final String value) {
        if (key.isBlank() || key.contains(" ") || key.contains("=") || value.contains(" ")) {
            throw new IllegalArgumentException("summary keys and values may not hold spaces or '=': " + key + "=" + value);
        }
        pairs.put(key, value);
        return this;
    }

    SummaryLine put(final String key, final long value) {
        return put(key, Long.toString(value));
    }

    /** Rates as whole events per second, ratios with two decimals. */
    SummaryLine put(final String key, final double value, final int decimals) {
        return put(key, String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    @Override
    public String toString() {
        return pairs.entrySet().stream().map(pair -> pair.getKey() + "=" + pair.getValue()).collect(Collectors.joining(" "));
    }
}
