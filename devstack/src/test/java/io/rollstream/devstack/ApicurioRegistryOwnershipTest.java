package io.rollstream.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry process never outlives the JVM that started it, however that JVM ends. */
class ApicurioRegistryOwnershipTest {

    @TempDir
    Path dir;

    @Test
    void shouldStopRegistryWhenOwnerJvmIsTerminated() throws Exception {
        final Process owner = startOwnerJvm();
        final long registryPid = awaitRegistryPid(owner);
        final Path registryWorkDir = registryLog().getParent();
        try {
            owner.destroy(); // SIGTERM, as Ctrl-C or a service manager would send

            assertThat(owner.waitFor(20, TimeUnit.SECONDS)).as("owner JVM exits").isTrue();
            assertThat(isAlive(registryPid)).as("registry pid %d alive", registryPid).isFalse();
            assertThat(registryWorkDir).as("temporary work directory").doesNotExist();
            assertThat(pidFile(registryPid)).doesNotExist();
        } finally {
            killQuietly(owner.pid(), registryPid);
        }
    }

    @Test
    void shouldStopRegistryLeftBehindByKilledOwnerOnNextStart() throws Exception {
        final Process owner = startOwnerJvm();
        final long registryPid = awaitRegistryPid(owner);
        final Path registryWorkDir = registryLog().getParent();
        try {
            owner.destroyForcibly(); // SIGKILL: no shutdown hook runs
            owner.waitFor(20, TimeUnit.SECONDS);
            assertThat(isAlive(registryPid)).as("the killed owner's registry is orphaned").isTrue();

            try (ApicurioRegistry next = ApicurioRegistry.start()) {
                assertThat(isAlive(registryPid)).as("orphaned registry pid %d alive", registryPid).isFalse();
                assertThat(registryWorkDir).as("orphan's temporary work directory").doesNotExist();
                assertThat(pidFile(registryPid)).doesNotExist();
                assertThat(isAlive(next.pid())).isTrue();
            }
        } finally {
            killQuietly(owner.pid(), registryPid);
        }
    }

    private Process startOwnerJvm() throws IOException {
        final List<String> command = new ArrayList<>(List.of(CurrentJava.binary().toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String property : List.of("maven.repo.local", CacheDirectory.CACHE_DIR_PROPERTY)) {
            Optional.ofNullable(System.getProperty(property)).ifPresent(value -> command.add("-D" + property + "=" + value));
        }
        command.add(RegistryOwner.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("owner.log").toFile()).start();
    }

    private long awaitRegistryPid(final Process owner) {
        final Path log = dir.resolve("owner.log");
        return await().pollInSameThread().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .failFast("owner JVM exited; see " + log, () -> !owner.isAlive())
                .until(() -> ownerSaid(RegistryOwner.PID_LINE_PREFIX), Optional::isPresent)
                .map(Long::parseLong)
                .orElseThrow();
    }

    private Path registryLog() throws IOException {
        return Path.of(ownerSaid(RegistryOwner.LOG_LINE_PREFIX).orElseThrow());
    }

    private Optional<String> ownerSaid(final String prefix) throws IOException {
        return Files.readAllLines(dir.resolve("owner.log")).stream()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()))
                .findFirst();
    }

    private static Path pidFile(final long pid) {
        return CacheDirectory.root().resolve("run").resolve("apicurio-registry-" + pid + ".pid");
    }

    private static boolean isAlive(final long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void killQuietly(final long... pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
