package io.rollstream.bench.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the figures were measured on, printed with them. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + procLine("/proc/cpuinfo", "model name")
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("model unknown") + "), "
                + procLine("/proc/meminfo", "MemTotal:").map(line -> String.format("%.1f GiB",
                        Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).orElse("unknown") + " RAM, Java "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")";
    }

    /** The 1-minute load average, or NaN. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (final IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Optional<String> procLine(final String file, final String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(line -> line.startsWith(prefix)).findFirst();
        } catch (final IOException e) {
            return Optional.empty();
        }
    }
}
