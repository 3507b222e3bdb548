package io.rollstream.schemas.registry;

/**
 * No schema with the id asked about, or the schema asked about is not registered under the subject
 * (Confluent {@code error_code} 40403). For a record being read this is poison, not an outage: the record
 * names a schema this registry never had.
 */
public final class SchemaNotFoundException extends SchemaRegistryException {

    /** The Confluent {@code error_code} for this failure. */
    public static final int ERROR_CODE = 40403;

    private static final long serialVersionUID = 1L;

    public SchemaNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
