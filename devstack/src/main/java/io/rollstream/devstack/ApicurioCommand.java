package io.rollstream.devstack;

import java.nio.file.Path;
import java.util.List;

/** How the registry child process is launched: JVM flags and registry configuration. */
final class ApicurioCommand {

    private ApicurioCommand() {
    }

    /**
     * A process builder for the registry at {@code runnerJar}, serving on 127.0.0.1:{@code port},
     * with {@code workDir} as working and temporary directory.
     */
    static ProcessBuilder create(final Path runnerJar, final int port, final Path workDir) {
        final Path tmp = workDir.resolve("tmp");
        Directories.createDirectories(tmp);
        final List<String> command = List.of(
                CurrentJava.binary().toString(),
                // A dev registry holds a few schemas; the default heap (a quarter of RAM) would be waste.
                "-Xmx384m",
                "-XX:+UseSerialGC",
                // C1 only: measured 2.9 s -> 2.2 s to first answer; a dev registry never runs hot.
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:-UsePerfData", // no hsperfdata file per run in /tmp
                // Vert.x file cache, uploads, snapshots: inside the work dir instead of /tmp.
                "-Djava.io.tmpdir=" + tmp,
                RegistryPidFiles.ownerArgument(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // The management interface (health, metrics) is enabled at build time and listens on
                // 0.0.0.0:9000 by default: keep it on loopback, on a free port, so it neither leaves
                // the machine nor collides with a second registry.
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=0",
                // Apicurio 3.3's default storage is already in-memory H2 (no database server); stated
                // here so a changed default cannot turn the dev registry into one that needs a server.
                "-Dapicurio.storage.kind=sql",
                "-Dapicurio.storage.sql.kind=h2",
                "-Dapicurio.datasource.url=jdbc:h2:mem:registry",
                // OpenTelemetry export to localhost:4317 is off by default; keep it off.
                "-Dquarkus.otel.sdk.disabled=true",
                "-jar", runnerJar.toString());
        final ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        // Quarkus also reads environment variables (and .env / config/ in the working directory,
        // which is ours): a developer's shell configured for a real registry must not leak in.
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("APICURIO_"));
        return builder;
    }
}
