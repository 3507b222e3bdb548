package io.rollstream.devstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Apicurio Registry 3 server, run as a child process of this JVM from the distribution on
 * Maven Central, serving its Confluent-compatible API on 127.0.0.1. Storage is in memory: every
 * start is an empty registry with global compatibility BACKWARD, as in Confluent Schema Registry.
 *
 * <p>The process never outlives its owner: {@link #close()} stops it, a shutdown hook stops it if
 * this JVM is interrupted or terminated, and a pid file lets the next start stop it if this JVM
 * was killed outright.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int LOG_LINES_IN_ERRORS = 30;
    private static final int PORT_ATTEMPTS = 3;
    private static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";

    private final ChildProcess process;
    private final Path runnerJar;
    private final int port;
    private final RegistryPidFiles pidFiles;
    private final Path workDir;
    private final boolean deleteWorkDirOnClose;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ApicurioRegistry(final ChildProcess process, final Path runnerJar, final int port, final RegistryPidFiles pidFiles,
                             final Path workDir, final boolean deleteWorkDirOnClose) {
        this.process = process;
        this.runnerJar = runnerJar;
        this.port = port;
        this.pidFiles = pidFiles;
        this.workDir = workDir;
        this.deleteWorkDirOnClose = deleteWorkDirOnClose;
        this.shutdownHook = new Thread(this::stopAndCleanUp, "stop-apicurio-registry-" + process.pid());
    }

    /**
     * Starts a registry whose log goes to a temporary work directory, deleted on close (kept when
     * the start fails, so the log named in the error can be read).
     */
    public static ApicurioRegistry start() {
        return start(Directories.createTemp(RegistryPidFiles.DISPOSABLE_WORK_DIR_PREFIX), true);
    }

    /** Starts a registry that writes its log, {@code apicurio-registry.log}, into {@code workDir} (kept on close). */
    public static ApicurioRegistry start(final Path workDir) {
        return start(workDir.toAbsolutePath(), false);
    }

    private static ApicurioRegistry start(final Path workDir, final boolean deleteWorkDirOnClose) {
        CurrentJava.requireFeatureVersion(21, "Apicurio Registry 3");
        final long startNanos = System.nanoTime();
        final Path cacheRoot = CacheDirectory.root();
        final ApicurioDistribution distribution = ApicurioDistribution.fromBuild();
        final Path runnerJar = distribution.install(cacheRoot);
        final RegistryPidFiles pidFiles = new RegistryPidFiles(cacheRoot);
        pidFiles.stopOrphans();
        Directories.createDirectories(workDir);

        for (int attempt = 1; ; attempt++) {
            final ApicurioRegistry registry = launch(runnerJar, pidFiles, workDir, deleteWorkDirOnClose);
            try {
                registry.awaitReadyAndConfigure();
                log.info("Apicurio Registry {} (pid {}) serving {}, log in {}, started in {} ms",
                        distribution.version(), registry.pid(), registry.confluentApiUrl(), registry.logFile(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                return registry;
            } catch (PortTakenException e) {
                registry.abandon();
                if (attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException("Apicurio Registry could not bind a free port in " + PORT_ATTEMPTS
                            + " attempts; something is grabbing ports on 127.0.0.1. Last lines of "
                            + registry.logFile() + ":\n" + registry.process.logTail(LOG_LINES_IN_ERRORS), e);
                }
                log.debug("Port {} was taken before the registry could bind it; retrying on another", registry.port);
            } catch (RuntimeException e) {
                registry.abandon();
                throw e;
            }
        }
    }

    /** Starts the process; from here on it is stopped if this JVM ends (Ctrl-C, SIGTERM) before {@link #close()}. */
    private static ApicurioRegistry launch(final Path runnerJar, final RegistryPidFiles pidFiles, final Path workDir,
                                           final boolean deleteWorkDirOnClose) {
        final int port = FreePort.onLoopback();
        final ChildProcess process = ChildProcess.start("Apicurio Registry",
                ApicurioCommand.create(runnerJar, port, workDir), workDir.resolve("apicurio-registry.log"), STOP_GRACE);
        final ApicurioRegistry registry = new ApicurioRegistry(process, runnerJar, port, pidFiles, workDir, deleteWorkDirOnClose);
        try {
            Runtime.getRuntime().addShutdownHook(registry.shutdownHook);
            pidFiles.record(process.handle(), deleteWorkDirOnClose ? Optional.of(workDir) : Optional.empty());
        } catch (RuntimeException e) {
            registry.abandon();
            throw e;
        }
        return registry;
    }

    /** The Confluent Schema Registry compatible API, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String confluentApiUrl() {
        return "http://127.0.0.1:" + port + CONFLUENT_API_PATH;
    }

    public int port() {
        return port;
    }

    /** The pid of the registry process. */
    public long pid() {
        return process.pid();
    }

    /** The registry's own log (its stdout and stderr). */
    public Path logFile() {
        return process.logFile();
    }

    /** Stops the registry process (SIGTERM, then SIGKILL after 5 s) and waits for it to be gone. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        removeShutdownHook();
        stopAndCleanUp();
        log.info("Apicurio Registry (pid {}) stopped", process.pid());
    }

    // A failed start keeps the work directory: the error message points at the log in it.
    private void abandon() {
        closed.set(true);
        removeShutdownHook();
        process.stop();
        pidFiles.remove(process.pid());
    }

    private void stopAndCleanUp() {
        process.stop();
        pidFiles.remove(process.pid());
        if (deleteWorkDirOnClose) {
            try {
                Directories.deleteRecursively(workDir);
            } catch (IOException e) {
                log.warn("Could not delete the registry work directory {}: {}. Delete it by hand.", workDir, e.toString());
            }
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and the hook is already stopping the process.
        }
    }

    private void awaitReadyAndConfigure() {
        final long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (ConfluentCompatApi api = new ConfluentCompatApi(confluentApiUrl())) {
            while (!api.answers()) {
                if (!process.isAlive()) {
                    final String logTail = process.logTail(LOG_LINES_IN_ERRORS);
                    if (logTail.contains("already bound") || logTail.contains("Address already in use")) {
                        throw new PortTakenException();
                    }
                    throw failure("exited with code " + process.exitCode() + " during startup", logTail);
                }
                if (System.nanoTime() > deadline) {
                    throw failure("did not answer GET " + confluentApiUrl() + "/subjects within "
                            + STARTUP_TIMEOUT.toSeconds() + " s", process.logTail(LOG_LINES_IN_ERRORS));
                }
                Thread.sleep(POLL_INTERVAL);
            }
            api.setGlobalCompatibility("BACKWARD");
        } catch (IOException e) {
            throw failure("refused the global compatibility level BACKWARD (" + e.getMessage() + ")",
                    process.logTail(LOG_LINES_IN_ERRORS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Apicurio Registry to start", e);
        }
    }

    private IllegalStateException failure(final String what, final String logTail) {
        return new IllegalStateException("Apicurio Registry (pid " + process.pid() + ", port " + port + ") " + what
                + ". Last lines of " + process.logFile() + ":\n" + logTail + "\n"
                + "Read the whole log there. A slow or busy machine may just need another try; if the unpacked"
                + " distribution is damaged, delete " + distributionHome() + " and the next start unpacks it again.");
    }

    private Path distributionHome() {
        return runnerJar.getParent();
    }

    /** The port picked as free was taken by someone else before the registry bound it. */
    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTakenException() {
            super(null, null, false, false);
        }
    }
}
