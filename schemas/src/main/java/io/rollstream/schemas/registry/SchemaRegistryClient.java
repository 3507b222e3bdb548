package io.rollstream.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry protocol Rollstream uses, for Avro schemas.
 *
 * <p>Implementations: {@link RestSchemaRegistryClient} (Confluent Schema Registry, Apicurio Registry's
 * {@code /apis/ccompat/v7}, Karapace) and {@link InMemorySchemaRegistryClient} (tests, offline tools);
 * {@link SchemaRegistryClients#create} picks one from Confluent-style configs. Implementations are
 * thread-safe.
 *
 * <p>Failures are {@link SchemaRegistryException}s; {@link SchemaRegistryUnavailableException} is the
 * only retriable one.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} (a no-op returning the existing id when that schema
     * is already registered there) and returns its registry-wide id.
     *
     * @throws IncompatibleSchemaException when the subject's compatibility rule rejects it
     * @throws InvalidSchemaException when the registry rejects the schema text
     */
    int register(String subject, Schema schema);

    /**
     * The schema with this id. Ids never change meaning, so implementations cache the answer forever.
     *
     * @throws SchemaNotFoundException when the registry has no schema with this id
     */
    Schema schemaById(int id);

    /**
     * The subject's newest version.
     *
     * @throws SubjectNotFoundException when nothing is registered under the subject
     */
    RegisteredSchema latest(String subject);

    /**
     * The version of {@code subject} whose schema is {@code schema}, without registering anything.
     *
     * @throws SubjectNotFoundException when nothing is registered under the subject
     * @throws SchemaNotFoundException when the subject exists but this schema is not one of its versions
     */
    RegisteredSchema lookup(String subject, Schema schema);

    /**
     * Whether {@code schema} satisfies the subject's compatibility rule against its latest version;
     * {@code true} for a subject with no versions, since nothing can be broken.
     */
    boolean isCompatible(String subject, Schema schema);

    /**
     * The compatibility rule in force for {@code subject} (its own, else the global one), or the global
     * rule when {@code subject} is {@code null}.
     */
    CompatibilityLevel compatibility(String subject);

    /** Sets the rule for {@code subject}, or the global rule when {@code subject} is {@code null}. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** All subjects with at least one version. */
    List<String> subjects();

    /** Releases connections; cached answers are dropped with the client. */
    @Override
    void close();
}
