package io.rollstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the numbers were measured on, printed with them: they mean little without it. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        final Runtime runtime = Runtime.getRuntime();
        return runtime.availableProcessors() + " CPUs (" + cpuModel() + "), " + memory() + " RAM, Java "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + "), max heap "
                + mebibytes(runtime.maxMemory()) + " MiB";
    }

    private static String cpuModel() {
        return procLine(Path.of("/proc/cpuinfo"), "model name").map(line -> line.substring(line.indexOf(':') + 1).trim())
                .orElse("model unknown");
    }

    private static String memory() {
        // "MemTotal:       24598764 kB"
        return procLine(Path.of("/proc/meminfo"), "MemTotal:")
                .map(line -> String.format("%.1f GiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                .orElse("unknown");
    }

    private static java.util.Optional<String> procLine(final Path file, final String prefix) {
        if (!Files.isReadable(file)) {
            return java.util.Optional.empty();
        }
        try {
            final List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(line -> line.startsWith(prefix)).findFirst();
        } catch (final IOException e) {
            return java.util.Optional.empty();
        }
    }

    static long mebibytes(final long bytes) {
        return bytes / (1024 * 1024);
    }
}
