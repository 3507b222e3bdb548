package io.rollstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/** A child process whose output goes to a log file, stopped together with its descendants. */
final class ChildProcess {

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Duration grace;

    private ChildProcess(final String name, final Process process, final Path logFile, final Duration grace) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.grace = grace;
    }

    /**
     * Starts {@code builder}'s command with stdout and stderr written to {@code logFile} (truncated
     * first); {@code grace} is how long the process may take to exit after SIGTERM.
     */
    static ChildProcess start(final String name, final ProcessBuilder builder, final Path logFile, final Duration grace) {
        builder.redirectErrorStream(true).redirectOutput(logFile.toFile());
        try {
            return new ChildProcess(name, builder.start(), logFile, grace);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + " (" + String.join(" ", builder.command()) + "): "
                    + e.getMessage() + ". Check that the java binary exists and " + builder.directory() + " is writable.", e);
        }
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; only meaningful once {@link #isAlive()} is false. */
    int exitCode() {
        return process.exitValue();
    }

    Path logFile() {
        return logFile;
    }

    String logTail(final int lines) {
        return LogTail.lastLines(logFile, lines);
    }

    /** Stops the process and its descendants: SIGTERM, then SIGKILL after the grace period. */
    void stop() {
        ProcessTree.stop(process.toHandle(), name, grace);
    }
}
