package io.rollstream.schemas.registry;

/** Nothing is registered under the subject asked about (Confluent {@code error_code} 40401). */
public final class SubjectNotFoundException extends SchemaRegistryException {

    /** The Confluent {@code error_code} for this failure. */
    public static final int ERROR_CODE = 40401;

    private static final long serialVersionUID = 1L;

    public SubjectNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
