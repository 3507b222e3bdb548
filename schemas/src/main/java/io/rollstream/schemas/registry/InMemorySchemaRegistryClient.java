package io.rollstream.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A complete schema registry held in memory, for TopologyTestDriver tests and offline tools: it behaves
 * like Confluent Schema Registry — ids assigned 1, 2, 3... registry-wide, the same schema gets the same
 * id under every subject, compatibility rules enforced with Avro's {@code SchemaCompatibility} (global
 * default {@link CompatibilityLevel#BACKWARD}) — and fails with the same exception types and error codes,
 * so code tested against it handles a real registry's answers too.
 *
 * <p>"The same schema" means equal by Avro's {@link Schema#equals}, which ignores {@code doc}; a real
 * registry may give a doc-only change a new id (Confluent does, Apicurio does not). Thread-safe.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final String name;
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<RegisteredSchema>> versionsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int lastId;

    /** An anonymous registry; see {@link SchemaRegistryClients#mockScope} for one shared by name. */
    public InMemorySchemaRegistryClient() {
        this("anonymous");
    }

    /** A registry whose error messages call it {@code name}. */
    public InMemorySchemaRegistryClient(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        List<RegisteredSchema> versions = versionsBySubject.getOrDefault(subject, List.of());
        for (RegisteredSchema existing : versions) {
            if (existing.schema().equals(schema)) {
                return existing.id();
            }
        }
        CompatibilityLevel level = compatibility(subject);
        List<String> problems = AvroCompatibility.problems(level, schema, versions);
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaException("Registering schema " + schema.getFullName() + " under subject '"
                    + subject + "' in " + this + " failed: it breaks the subject's " + level + " rule: "
                    + String.join("; ", problems) + ". Make the change compatible (e.g. give a new field a "
                    + "default) or, if the break is intended, publish to a new subject.",
                    409, IncompatibleSchemaException.ERROR_CODE);
        }
        int id = idsBySchema.computeIfAbsent(schema, s -> ++lastId);
        schemasById.putIfAbsent(id, schema);
        List<RegisteredSchema> updated = new ArrayList<>(versions);
        updated.add(new RegisteredSchema(subject, id, versions.size() + 1, schema));
        versionsBySubject.put(subject, updated);
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("Schema id " + id + " is not in " + this + " (it holds ids "
                    + (lastId == 0 ? "none" : "1.." + lastId) + "). The record was written against another "
                    + "registry, or the test forgot to register the schema first.",
                    404, SchemaNotFoundException.ERROR_CODE);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        return versionsOf(subject).getLast();
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        Objects.requireNonNull(schema, "schema");
        for (RegisteredSchema existing : versionsOf(subject)) {
            if (existing.schema().equals(schema)) {
                return existing;
            }
        }
        throw new SchemaNotFoundException("Schema " + schema.getFullName() + " is not registered under subject '"
                + subject + "' in " + this + " (the subject has " + versionsOf(subject).size()
                + " other version(s)). Register it first, or let the serializer do it (auto.register.schemas=true).",
                404, SchemaNotFoundException.ERROR_CODE);
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        List<RegisteredSchema> versions = versionsBySubject.getOrDefault(subject, List.of());
        // Against the latest version only, like the REST endpoint /compatibility/subjects/{s}/versions/latest.
        List<RegisteredSchema> latest = versions.isEmpty() ? List.of() : List.of(versions.getLast());
        return AvroCompatibility.problems(compatibility(subject), schema, latest).isEmpty();
    }

    @Override
    public synchronized CompatibilityLevel compatibility(String subject) {
        return subject == null ? globalLevel : subjectLevels.getOrDefault(subject, globalLevel);
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        Objects.requireNonNull(level, "level");
        if (subject == null) {
            globalLevel = level;
        } else {
            subjectLevels.put(subject, level);
        }
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    /** Nothing to release; a shared {@code mock://} scope stays usable by the other serdes sharing it. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "in-memory schema registry '" + name + "'";
    }

    private List<RegisteredSchema> versionsOf(String subject) {
        requireSubject(subject);
        List<RegisteredSchema> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SubjectNotFoundException("Subject '" + subject + "' has no versions in " + this
                    + " (subjects: " + versionsBySubject.keySet() + "). Register a schema under it first; subjects "
                    + "follow TopicNameStrategy: <topic>-value and <topic>-key.",
                    404, SubjectNotFoundException.ERROR_CODE);
        }
        return versions;
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must be a non-blank string, got " + (subject == null
                    ? "null" : "'" + subject + "'"));
        }
    }
}
