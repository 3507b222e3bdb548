package io.rollstream.schemas.registry;

/** The subject exists but has no such version (Confluent {@code error_code} 40402). */
public final class VersionNotFoundException extends SchemaRegistryException {

    /** The Confluent {@code error_code} for this failure. */
    public static final int ERROR_CODE = 40402;

    private static final long serialVersionUID = 1L;

    public VersionNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
