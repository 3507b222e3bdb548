package io.rollstream.schemas.registry;

/** The registry rejected the schema text itself (Confluent {@code error_code} 42201, HTTP 422). */
public final class InvalidSchemaException extends SchemaRegistryException {

    /** The Confluent {@code error_code} for this failure. */
    public static final int ERROR_CODE = 42201;

    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
