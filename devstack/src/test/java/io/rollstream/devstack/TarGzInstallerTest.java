package io.rollstream.devstack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarGzInstallerTest {

    private static final Map<String, String> DISTRIBUTION = new LinkedHashMap<>();

    static {
        DISTRIBUTION.put("quarkus-run.jar", "runner");
        DISTRIBUTION.put("lib/main/a.jar", "a");
        DISTRIBUTION.put("app/app.jar", "app");
    }

    @TempDir
    Path dir;

    @Test
    void shouldUnpackEveryFileIntoTarget() throws Exception {
        final Path target = dir.resolve("cache/registry-1.0");
        TarGzInstaller.installOnce(archive(DISTRIBUTION), target);

        for (Map.Entry<String, String> file : DISTRIBUTION.entrySet()) {
            assertThat(target.resolve(file.getKey())).hasContent(file.getValue());
        }
        assertThat(siblings(target)).containsExactly(target.getFileName().toString());
    }

    @Test
    void shouldNotUnpackAgainWhenTargetExists() throws Exception {
        final Path archive = archive(DISTRIBUTION);
        final Path target = dir.resolve("registry-1.0");
        TarGzInstaller.installOnce(archive, target);
        Files.writeString(target.resolve("quarkus-run.jar"), "changed since");

        TarGzInstaller.installOnce(archive, target);

        assertThat(target.resolve("quarkus-run.jar")).hasContent("changed since");
    }

    @Test
    void shouldInstallCompleteCopyWhenRunsRaceForSameTarget() throws Exception {
        final Path archive = archive(DISTRIBUTION);
        final Path target = dir.resolve("registry-1.0");
        final int runs = 4;
        final CountDownLatch go = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            final List<Future<?>> installs = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                installs.add(pool.submit(() -> {
                    go.await();
                    TarGzInstaller.installOnce(archive, target);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> install : installs) {
                install.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(target.resolve("lib/main/a.jar")).hasContent("a");
        assertThat(siblings(target)).containsExactly(target.getFileName().toString());
    }

    @Test
    void shouldRejectEntryPointingOutsideTargetAndLeaveNothingBehind() throws Exception {
        final Map<String, String> evil = Map.of("../escaped.txt", "gotcha");
        final Path target = dir.resolve("cache/registry-1.0");

        assertThatThrownBy(() -> TarGzInstaller.installOnce(archive(evil), target))
                .hasMessageContaining("../escaped.txt");

        assertThat(dir.resolve("cache/escaped.txt")).doesNotExist();
        assertThat(dir.resolve("cache")).isEmptyDirectory();
    }

    @Test
    void shouldRemoveStagingDirectoryAbandonedByInterruptedRun() throws Exception {
        final Path target = dir.resolve("registry-1.0");
        final Path abandoned = Files.createDirectories(dir.resolve("registry-1.0.partial-123/lib"));
        Files.setLastModifiedTime(abandoned.getParent(), FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        final Path recent = Files.createDirectories(dir.resolve("registry-1.0.partial-456"));

        TarGzInstaller.installOnce(archive(DISTRIBUTION), target);

        assertThat(abandoned.getParent()).doesNotExist();
        assertThat(recent).as("may belong to a run unpacking right now").exists();
    }

    private Path archive(final Map<String, String> files) throws IOException {
        final Path archive = Files.createTempFile(dir, "dist-", ".tar.gz");
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                final byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                final TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    private static List<String> siblings(final Path target) throws IOException {
        try (Stream<Path> entries = Files.list(target.getParent())) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> !name.endsWith(".tar.gz"))
                    .toList();
        }
    }
}
