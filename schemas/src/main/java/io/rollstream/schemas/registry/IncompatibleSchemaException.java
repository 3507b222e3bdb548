package io.rollstream.schemas.registry;

/**
 * The subject's compatibility rule rejects the schema. Confluent Schema Registry, Karapace and Apicurio
 * answer HTTP 409 with {@code error_code} 409; some Confluent-compatible registries use 40901. Both are
 * mapped here.
 */
public final class IncompatibleSchemaException extends SchemaRegistryException {

    /** The {@code error_code} Confluent Schema Registry, Karapace and Apicurio send. */
    public static final int ERROR_CODE = 409;
    /** The {@code error_code} some other Confluent-compatible registries send. */
    public static final int ALTERNATIVE_ERROR_CODE = 40901;

    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
