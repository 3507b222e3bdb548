package io.rollstream.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryPidFilesTest {

    @TempDir
    Path cacheRoot;

    @Test
    void shouldLeaveOrphanAloneWhenItIsNotOurRegistry() throws Exception {
        final Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            final Path pidFile = writePidFile(stranger.pid(), deadPid());

            new RegistryPidFiles(cacheRoot).stopOrphans();

            assertThat(stranger.isAlive()).isTrue();
            assertThat(pidFile).doesNotExist();
        } finally {
            stranger.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldLeaveRegistryOfLiveOwnerAndItsPidFileAlone() throws Exception {
        final Process child = new ProcessBuilder("sleep", "60").start();
        try {
            final RegistryPidFiles pidFiles = new RegistryPidFiles(cacheRoot);
            pidFiles.record(child.toHandle(), Optional.empty());

            pidFiles.stopOrphans();

            assertThat(child.isAlive()).isTrue();
            assertThat(pidFile(child.pid())).exists();
        } finally {
            child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRemovePidFileAndTemporaryWorkDirWhenOwnerAndRegistryEnded() throws Exception {
        final Path workDir = Files.createDirectories(cacheRoot.resolve(RegistryPidFiles.DISPOSABLE_WORK_DIR_PREFIX + "123/tmp"))
                .getParent();
        final Path pidFile = writePidFile(deadPid(), deadPid(), "disposableWorkDir=" + workDir);

        new RegistryPidFiles(cacheRoot).stopOrphans();

        assertThat(pidFile).doesNotExist();
        assertThat(workDir).doesNotExist();
    }

    @Test
    void shouldNeverDeleteRecordedWorkDirThatIsNotOneOfOurTemporaryDirs() throws Exception {
        final Path precious = Files.createDirectories(cacheRoot.resolve("precious"));
        writePidFile(deadPid(), deadPid(), "disposableWorkDir=" + precious);

        new RegistryPidFiles(cacheRoot).stopOrphans();

        assertThat(precious).exists();
    }

    private Path writePidFile(final long pid, final long owner, final String... more) throws IOException {
        final Path file = pidFile(pid);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "pid=" + pid + "\nowner=" + owner + "\n" + String.join("\n", more) + "\n");
        return file;
    }

    private Path pidFile(final long pid) {
        return cacheRoot.resolve("run").resolve("apicurio-registry-" + pid + ".pid");
    }

    private static long deadPid() throws Exception {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
