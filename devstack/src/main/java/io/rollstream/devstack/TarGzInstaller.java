package io.rollstream.devstack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Unpacks a {@code .tar.gz} into a directory exactly once, atomically: the archive is extracted
 * into a staging sibling which is then renamed into place. The target therefore either does not
 * exist or is complete; concurrent runs race only for the rename, and a run killed mid-way leaves
 * a staging directory that a later run removes.
 */
final class TarGzInstaller {

    private static final Logger log = LoggerFactory.getLogger(TarGzInstaller.class);
    private static final String STAGING_INFIX = ".partial-";
    // Older than any extraction takes; younger ones may belong to a run that is extracting now.
    private static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    private TarGzInstaller() {
    }

    /** Makes {@code target} hold the archive's content, unless an earlier run already did. */
    static void installOnce(final Path archive, final Path target) {
        if (Files.isDirectory(target)) {
            return;
        }
        final Path parent = target.toAbsolutePath().getParent();
        Directories.createDirectories(parent);
        removeAbandonedStaging(parent, target.getFileName().toString());
        final long startNanos = System.nanoTime();
        log.info("Unpacking {} into {} (once per version)", archive, target);
        Path staging = null;
        try {
            staging = Files.createTempDirectory(parent, target.getFileName() + STAGING_INFIX);
            extract(archive, staging);
            if (moveIntoPlace(staging, target)) {
                log.info("Unpacked into {} in {} ms", target, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + archive + " into " + target + ": " + e
                    + ". Check free disk space and permissions there (set -D" + CacheDirectory.CACHE_DIR_PROPERTY
                    + " to use another directory); if the archive is damaged, delete it and build the devstack module again.", e);
        } finally {
            if (staging != null) {
                deleteQuietly(staging);
            }
        }
    }

    /** False when a concurrent run renamed its copy into place first; that copy is used. */
    private static boolean moveIntoPlace(final Path staging, final Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
            log.debug("Another run installed {} first; using its copy", target);
            return false;
        }
    }

    private static void extract(final Path archive, final Path into) throws IOException {
        try (InputStream file = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new GzipCompressorInputStream(new BufferedInputStream(file, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                final Path destination = into.resolve(entry.getName()).normalize();
                if (!destination.startsWith(into)) {
                    throw new IOException("archive entry '" + entry.getName() + "' points outside the target directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else if (entry.isFile()) {
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination);
                } else {
                    // Links could point anywhere; the registry distribution has none.
                    throw new IOException("archive entry '" + entry.getName() + "' is neither a file nor a directory");
                }
            }
        }
    }

    private static void removeAbandonedStaging(final Path parent, final String targetName) {
        final Instant cutoff = Instant.now().minus(ABANDONED_AFTER);
        try (DirectoryStream<Path> stagings = Files.newDirectoryStream(parent, targetName + STAGING_INFIX + "*")) {
            for (Path staging : stagings) {
                if (Files.getLastModifiedTime(staging).toInstant().isBefore(cutoff)) {
                    log.info("Removing {}, left by an interrupted unpack", staging);
                    deleteQuietly(staging);
                }
            }
        } catch (IOException e) {
            log.debug("Could not look for abandoned unpack directories in {}: {}", parent, e.toString());
        }
    }

    private static void deleteQuietly(final Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}. Delete it by hand.", dir, e.toString());
        }
    }
}
