package io.rollstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Deletes the state directories runs leave behind. */
final class FileTrees {

    private FileTrees() {
    }

    /** Deletes {@code root} and everything under it; a missing directory is fine. */
    static void delete(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        final List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(root)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        } catch (final UncheckedIOException e) {
            throw e.getCause();
        }
        for (final Path path : deepestFirst) {
            Files.deleteIfExists(path);
        }
    }
}
