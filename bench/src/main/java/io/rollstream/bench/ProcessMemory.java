package io.rollstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * This process's resident memory as Linux reports it: the peak (VmHWM) covers the heap, the
 * in-process broker and RocksDB's native memory alike, which no JVM metric does.
 */
final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** Peak resident set size in bytes, or empty where there is no /proc (macOS). */
    static OptionalLong peakResidentBytes() {
        return field("VmHWM:");
    }

    static OptionalLong residentBytes() {
        return field("VmRSS:");
    }

    private static OptionalLong field(final String name) {
        if (!Files.isReadable(STATUS)) {
            return OptionalLong.empty();
        }
        try {
            final List<String> lines = Files.readAllLines(STATUS);
            for (final String line : lines) {
                if (line.startsWith(name)) {
                    // "VmHWM:     123456 kB"
                    final String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS + ": " + e.getMessage(), e);
        }
    }
}
