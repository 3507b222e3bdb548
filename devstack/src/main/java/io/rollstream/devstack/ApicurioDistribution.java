package io.rollstream.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The Apicurio Registry server distribution ({@code apicurio-registry-app-<version>-all.tar.gz}),
 * taken from the local Maven repository where the devstack build put it, unpacked into the cache.
 */
final class ApicurioDistribution {

    /** Points at a registry archive outside the local Maven repository. */
    static final String ARCHIVE_PROPERTY = "rollstream.devstack.apicurio-archive";
    private static final String BUILD_PROPERTIES = "devstack.properties";
    private static final String RUNNER_JAR = "quarkus-run.jar";

    private final MavenArtifact artifact;

    private ApicurioDistribution(final MavenArtifact artifact) {
        this.artifact = artifact;
    }

    /** The distribution this module was built against (the parent pom's {@code apicurio.version}). */
    static ApicurioDistribution fromBuild() {
        final Properties properties = new Properties();
        try (InputStream in = ApicurioDistribution.class.getResourceAsStream(BUILD_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(BUILD_PROPERTIES + " is missing next to " + ApicurioDistribution.class.getName()
                        + "; the devstack jar is incomplete. Rebuild it with Maven.");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + BUILD_PROPERTIES + ": " + e.getMessage(), e);
        }
        return new ApicurioDistribution(MavenArtifact.parse(properties.getProperty("apicurio.artifact", "")));
    }

    String version() {
        return artifact.version();
    }

    /** Unpacks the distribution under {@code cacheRoot} unless already there; returns the runner jar. */
    Path install(final Path cacheRoot) {
        final Path home = cacheRoot.resolve("apicurio-registry-" + artifact.version());
        if (!Files.isDirectory(home)) {
            TarGzInstaller.installOnce(archive(), home);
        }
        final Path runner = home.resolve(RUNNER_JAR);
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException(home + " has no " + RUNNER_JAR + ", so it is not an Apicurio Registry distribution."
                    + " Delete that directory; the next start unpacks the archive again.");
        }
        return runner;
    }

    private Path archive() {
        final String configured = System.getProperty(ARCHIVE_PROPERTY);
        final Path archive = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : artifact.in(localRepository());
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("Apicurio Registry archive not found at " + archive + ". Fetch it with"
                    + " 'mvn dependency:get -Dartifact=" + artifact + "' (building the devstack module does that too),"
                    + " or point -D" + ARCHIVE_PROPERTY + " at a copy. If settings.xml moves the local repository,"
                    + " pass -Dmaven.repo.local=<that directory>.");
        }
        return archive;
    }

    // Maven's own property; settings.xml is not read, its location rarely changes and -D covers it.
    private static Path localRepository() {
        final String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
