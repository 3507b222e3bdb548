package io.rollstream.devstack;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Formats a KRaft log directory once, the way {@code kafka-storage.sh format} does. */
final class KafkaStorage {

    private static final Logger log = LoggerFactory.getLogger(KafkaStorage.class);

    private KafkaStorage() {
    }

    /** Formats {@code dir} unless it already holds this node's data, which is then reused as is. */
    static void formatIfNeeded(final Path dir, final int nodeId, final String controllerListener) {
        if (Files.exists(dir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return;
        }
        requireEmpty(dir);
        final ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out) // the formatter prints to stdout by default
                    .setNodeId(nodeId)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(dir.toString())
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(controllerListener)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + dir + ": " + e.getMessage()
                    + ". Pass an empty or new data directory.", e);
        }
        log.debug("Formatted Kafka storage in {}: {}", dir, report.toString(StandardCharsets.UTF_8).strip());
    }

    // Kafka treats every subdirectory of a log dir as a partition and refuses to start on anything
    // else; fail early with a message that names the directory the caller gave.
    private static void requireEmpty(final Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("Kafka data directory " + dir
                        + " is neither empty nor a Kafka data directory (it has no "
                        + MetaPropertiesEnsemble.META_PROPERTIES_NAME + "). Pass an empty or new directory,"
                        + " or one this broker used before.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Kafka data directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
