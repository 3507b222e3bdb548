package io.rollstream.devstack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs ApicurioRegistry against a fake distribution whose "registry" fails to start. */
class ApicurioRegistryStartupFailureTest {

    @TempDir
    Path dir;
    private Path cacheRoot;
    private Path workDir;
    private String previousCacheDir;

    @BeforeEach
    void installFakeDistribution() throws IOException {
        cacheRoot = dir.resolve("cache");
        workDir = dir.resolve("work");
        final Path home = Files.createDirectories(cacheRoot.resolve("apicurio-registry-" + ApicurioDistribution.fromBuild().version()));
        writeRunnerJar(home.resolve("quarkus-run.jar"));
        Files.createDirectories(workDir);
        previousCacheDir = System.setProperty(CacheDirectory.CACHE_DIR_PROPERTY, cacheRoot.toString());
    }

    @AfterEach
    void restoreCacheDir() {
        if (previousCacheDir == null) {
            System.clearProperty(CacheDirectory.CACHE_DIR_PROPERTY);
        } else {
            System.setProperty(CacheDirectory.CACHE_DIR_PROPERTY, previousCacheDir);
        }
    }

    @Test
    void shouldReportLastLogLinesAndWhatToDoWhenRegistryExitsDuringStartup() throws Exception {
        Files.writeString(workDir.resolve(FakeRegistry.BEHAVIOUR_FILE), "crash");

        assertThatThrownBy(() -> ApicurioRegistry.start(workDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code 1 during startup")
                .hasMessageContaining(workDir.resolve("apicurio-registry.log").toString())
                .hasMessageContaining("fake log line 11")
                .hasMessageContaining("fake log line 40")
                .hasMessageNotContaining("fake log line 10")
                .hasMessageContaining("another try");
        assertThat(pidFiles()).isEmpty();
    }

    @Test
    void shouldGiveUpAfterThreeAttemptsWhenEveryPortIsTaken() throws Exception {
        Files.writeString(workDir.resolve(FakeRegistry.BEHAVIOUR_FILE), "port-taken");

        assertThatThrownBy(() -> ApicurioRegistry.start(workDir))
                .hasMessageContaining("could not bind a free port in 3 attempts")
                .hasMessageContaining("Address already in use");
        assertThat(pidFiles()).isEmpty();
    }

    private List<Path> pidFiles() throws IOException {
        final Path run = cacheRoot.resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            return files.toList();
        }
    }

    private static void writeRunnerJar(final Path jar) throws IOException {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeRegistry.class.getName());
        final String classFile = FakeRegistry.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream jarOut = new JarOutputStream(out, manifest);
             InputStream bytes = FakeRegistry.class.getClassLoader().getResourceAsStream(classFile)) {
            jarOut.putNextEntry(new JarEntry(classFile));
            bytes.transferTo(jarOut);
            jarOut.closeEntry();
        }
    }
}
