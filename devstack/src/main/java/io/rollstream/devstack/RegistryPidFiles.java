package io.rollstream.devstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * One pid file per registry child process, kept under the cache directory, so that a registry left
 * running by a run that died without its shutdown hook (SIGKILL, a crashed JVM) is stopped by the
 * next run.
 *
 * <p>A registry is only stopped when its owner (the JVM that started it) is gone and its command
 * line proves it is ours: the owner marker this class puts on it and a {@code quarkus-run.jar}
 * under the cache directory. A registry of a concurrent run, or an unrelated process that reused
 * the pid, is left alone.
 */
final class RegistryPidFiles {

    private static final Logger log = LoggerFactory.getLogger(RegistryPidFiles.class);
    /** System property on the child's command line naming the pid of the JVM that started it. */
    static final String OWNER_PROPERTY = "rollstream.devstack.owner";
    private static final String PREFIX = "apicurio-registry-";
    private static final String SUFFIX = ".pid";
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(5);
    private static final String WORK_DIR = "disposableWorkDir";
    /** Only directories named like those ApicurioRegistry creates are ever deleted on a pid file's word. */
    static final String DISPOSABLE_WORK_DIR_PREFIX = "rollstream-apicurio-";

    private final Path dir;
    private final Path cacheRoot;

    RegistryPidFiles(final Path cacheRoot) {
        this.cacheRoot = cacheRoot;
        this.dir = cacheRoot.resolve("run");
    }

    /** The argument that marks a child as started by this JVM. */
    static String ownerArgument() {
        return "-D" + OWNER_PROPERTY + "=" + ProcessHandle.current().pid();
    }

    /**
     * Records a running registry; {@code disposableWorkDir} is a temporary work directory to delete
     * should the registry ever be stopped as an orphan.
     */
    void record(final ProcessHandle child, final Optional<Path> disposableWorkDir) {
        final Properties properties = new Properties();
        properties.setProperty("pid", Long.toString(child.pid()));
        disposableWorkDir.ifPresent(workDir -> properties.setProperty(WORK_DIR, workDir.toString()));
        properties.setProperty("owner", Long.toString(ProcessHandle.current().pid()));
        ProcessHandle.current().info().startInstant()
                .ifPresent(started -> properties.setProperty("ownerStarted", Long.toString(started.toEpochMilli())));
        try {
            Files.createDirectories(dir);
            // Written under a temporary name and renamed, so a reader never sees half a file.
            final Path staging = Files.createTempFile(dir, "writing-", ".tmp");
            try (Writer out = Files.newBufferedWriter(staging)) {
                properties.store(out, "Apicurio Registry started by the Rollstream devstack");
            }
            Files.move(staging, file(child.pid()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the registry pid file in " + dir + ": " + e.getMessage()
                    + ". Make the directory writable or set -D" + CacheDirectory.CACHE_DIR_PROPERTY + " elsewhere.", e);
        }
    }

    void remove(final long pid) {
        try {
            Files.deleteIfExists(file(pid));
        } catch (IOException e) {
            log.warn("Could not delete the registry pid file {}: {}", file(pid), e.toString());
        }
    }

    /** Stops registries whose starting JVM is gone and removes what they left (pid file, temporary work directory). */
    void stopOrphans() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                stopIfOrphan(file);
            }
        } catch (IOException e) {
            log.warn("Could not look for registries left behind by earlier runs in {}: {}", dir, e.toString());
        }
    }

    private void stopIfOrphan(final Path file) throws IOException {
        final Properties recorded = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            recorded.load(in);
        }
        final long owner = parsePid(recorded.getProperty("owner")).orElse(-1L);
        if (isAlive(owner, recorded.getProperty("ownerStarted"))) {
            return; // the owner stops its registry and removes this file itself
        }
        final Optional<ProcessHandle> child = parsePid(recorded.getProperty("pid")).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive);
        if (child.isPresent() && isOurRegistry(child.get(), owner)) {
            log.warn("Stopping Apicurio Registry pid {}, left running by an earlier run (pid {}) that was killed",
                    child.get().pid(), owner);
            ProcessTree.stop(child.get(), "orphaned Apicurio Registry", ORPHAN_GRACE);
        }
        deleteDisposableWorkDir(recorded.getProperty(WORK_DIR));
        Files.deleteIfExists(file);
    }

    private static void deleteDisposableWorkDir(final String recorded) {
        if (recorded == null) {
            return;
        }
        final Path workDir = Path.of(recorded);
        if (workDir.getFileName() != null && workDir.getFileName().toString().startsWith(DISPOSABLE_WORK_DIR_PREFIX)) {
            try {
                Directories.deleteRecursively(workDir);
            } catch (IOException e) {
                log.warn("Could not delete {}, the work directory of an orphaned registry: {}", workDir, e.toString());
            }
        }
    }

    private static boolean isAlive(final long pid, final String recordedStart) {
        final Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        // The pid may have been reused by another process; its start time tells them apart.
        final Optional<Instant> started = process.get().info().startInstant();
        return recordedStart == null || started.isEmpty()
                || Long.toString(started.get().toEpochMilli()).equals(recordedStart);
    }

    private boolean isOurRegistry(final ProcessHandle process, final long owner) {
        final List<String> arguments = process.info().arguments().map(Arrays::asList).orElse(List.of());
        final boolean markedByOwner = arguments.contains("-D" + OWNER_PROPERTY + "=" + owner);
        final boolean runsOurRegistry = arguments.stream()
                .anyMatch(argument -> argument.endsWith("quarkus-run.jar") && argument.startsWith(cacheRoot.toString()));
        return markedByOwner && runsOurRegistry;
    }

    private Path file(final long pid) {
        return dir.resolve(PREFIX + pid + SUFFIX);
    }

    private static Optional<Long> parsePid(final String value) {
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
