package io.rollstream.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The instance under test in its own JVM ({@link ServiceMain}) with a container-sized heap, so a
 * test can measure its resident memory, see it survive what would exhaust that heap, or kill it.
 * Runs on this JVM's java and class path; its log is {@code service.log} in the work directory.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final URI uri;

    private ServiceProcess(final Process process, final Path log, final URI uri) {
        this.process = process;
        this.log = log;
        this.uri = uri;
    }

    /** Starts an instance with {@code settings} (FeatureStoreConfig keys) and returns once it serves HTTP. */
    public static ServiceProcess start(final Map<String, String> settings, final String maxHeap, final Path workDir)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        final Path config = workDir.resolve("service.properties");
        final Properties properties = new Properties();
        properties.putAll(settings);
        try (OutputStream out = Files.newOutputStream(config)) {
            properties.store(out, "ServiceProcess");
        }
        final Path log = workDir.resolve("service.log");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final Process process = new ProcessBuilder(List.of(java, "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ServiceMain.class.getName(), config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service process exited with " + process.exitValue()
                        + " before serving; its log " + log + " ends:\n" + tail(log));
            }
            for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith(ServiceMain.SERVING)) {
                    return new ServiceProcess(process, log, URI.create(line.substring(ServiceMain.SERVING.length()).trim()));
                }
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the service process did not serve within " + START_TIMEOUT + "; log " + log
                + " ends:\n" + tail(log));
    }

    public URI uri() {
        return uri;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Resident set size now, from /proc (Linux). */
    public long residentBytes() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the resident memory of process " + process.pid(), e);
        }
        throw new IllegalStateException("/proc/" + process.pid() + "/status has no VmRSS line");
    }

    public String logTail() {
        return tail(log);
    }

    private static String tail(final Path log) {
        try {
            final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (final IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Closes its input (it stops itself), then waits, then kills what is left. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (final IOException ignored) {
            // Already gone.
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
