package io.rollstream.devstack;

import java.nio.file.Path;

/** Where the stack keeps files that outlive a run: the unpacked registry and the pid files of running registries. */
final class CacheDirectory {

    /** Overrides the cache root, {@code ~/.cache/rollstream} by default. */
    static final String CACHE_DIR_PROPERTY = "rollstream.devstack.cache-dir";

    private CacheDirectory() {
    }

    static Path root() {
        final String configured = System.getProperty(CACHE_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "rollstream");
    }
}
