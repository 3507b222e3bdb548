package io.rollstream.bench.serving;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a load tool (wrk, redis-benchmark, the Java load client) as a child process to completion:
 * its stderr is passed on as progress, its stdout kept for parsing. A tool still running at its
 * deadline, or when this JVM is stopping, is killed with its children: nothing outlives the run.
 */
final class Tool {

    private Tool() {
    }

    /** A program on the PATH, or empty. */
    static Optional<Path> onPath(final String name) {
        final String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (final String dir : path.split(java.io.File.pathSeparator)) {
            final Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The command that starts a JVM like this one, with this classpath, running {@code mainClass}. */
    static List<String> java(final List<String> jvmOptions, final Class<?> mainClass, final List<String> args) {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    /**
     * Runs {@code command}, passing its stderr (and, with {@code echoStdout}, its stdout) to
     * {@code progress}; returns its stdout lines.
     */
    static List<String> run(final List<String> command, final Duration timeout, final PrintStream progress,
                            final boolean echoStdout) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        final Thread killer = new Thread(() -> kill(process), "kill-" + Path.of(command.get(0)).getFileName());
        Runtime.getRuntime().addShutdownHook(killer);
        final List<String> stdout = new ArrayList<>();
        final Thread errors = Thread.ofPlatform().daemon().start(() -> pipe(process, progress));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            final Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        synchronized (stdout) {
                            stdout.add(line);
                        }
                        if (echoStdout) {
                            progress.println("  " + line);
                        }
                    }
                } catch (final IOException e) {
                    // the process ended
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new IOException(Path.of(command.get(0)).getFileName() + " did not finish within " + timeout.toSeconds()
                        + " s; killed it");
            }
            reader.join(5_000);
            errors.join(5_000);
        } finally {
            kill(process);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (final IllegalStateException e) {
                // shutting down: the hook runs anyway
            }
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " ... exited with "
                    + process.exitValue() + "; output:\n" + String.join("\n", stdout));
        }
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    private static void pipe(final Process process, final PrintStream progress) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                progress.println(line);
            }
        } catch (final IOException e) {
            // the process ended
        }
    }

    /** Stops a process and its descendants: SIGTERM, then SIGKILL after 3 s. */
    static void kill(final Process process) {
        final List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (final ProcessHandle handle : tree) {
            handle.destroy();
        }
        for (final ProcessHandle handle : tree) {
            try {
                handle.onExit().get(3, TimeUnit.SECONDS);
            } catch (final Exception e) {
                handle.destroyForcibly();
            }
        }
    }
}
