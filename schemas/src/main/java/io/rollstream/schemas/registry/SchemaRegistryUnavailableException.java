package io.rollstream.schemas.registry;

/**
 * The registry could not answer: connection refused, timeout, or an HTTP 5xx/429/408. Retriable — the
 * same call may succeed later — unlike every other {@link SchemaRegistryException}, which describes the
 * request or the data.
 */
public final class SchemaRegistryUnavailableException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    public SchemaRegistryUnavailableException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, cause);
    }
}
