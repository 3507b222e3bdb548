package io.rollstream.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Applies a {@link CompatibilityLevel} to Avro schemas with Avro's own {@link SchemaCompatibility}, the
 * check Confluent Schema Registry also uses, so the in-memory registry accepts and rejects the same
 * changes a real one does.
 */
final class AvroCompatibility {

    private AvroCompatibility() {
    }

    /**
     * Why {@code candidate} may not follow {@code versions} (oldest first) under {@code level}; empty when
     * it may. Non-transitive levels look at the newest version only.
     */
    static List<String> problems(CompatibilityLevel level, Schema candidate, List<RegisteredSchema> versions) {
        if (level == CompatibilityLevel.NONE || versions.isEmpty()) {
            return List.of();
        }
        List<RegisteredSchema> checked = isTransitive(level) ? versions : List.of(versions.getLast());
        List<String> problems = new ArrayList<>();
        for (RegisteredSchema existing : checked) {
            if (checksBackward(level)) {
                // New readers must read what the existing version wrote.
                describe(candidate, existing.schema(), "new schema cannot read data written with version "
                        + existing.version(), problems);
            }
            if (checksForward(level)) {
                // Existing readers must read what the new schema writes.
                describe(existing.schema(), candidate, "version " + existing.version()
                        + " cannot read data written with the new schema", problems);
            }
        }
        return problems;
    }

    private static void describe(Schema reader, Schema writer, String direction, List<String> problems) {
        for (Incompatibility incompatibility : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult().getIncompatibilities()) {
            problems.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + " (" + incompatibility.getMessage() + ")");
        }
    }

    private static boolean isTransitive(CompatibilityLevel level) {
        return switch (level) {
            case BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE, FULL_TRANSITIVE -> true;
            case BACKWARD, FORWARD, FULL, NONE -> false;
        };
    }

    private static boolean checksBackward(CompatibilityLevel level) {
        return switch (level) {
            case BACKWARD, BACKWARD_TRANSITIVE, FULL, FULL_TRANSITIVE -> true;
            case FORWARD, FORWARD_TRANSITIVE, NONE -> false;
        };
    }

    private static boolean checksForward(CompatibilityLevel level) {
        return switch (level) {
            case FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE -> true;
            case BACKWARD, BACKWARD_TRANSITIVE, NONE -> false;
        };
    }
}
