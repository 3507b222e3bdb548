package io.rollstream.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry call failed. The message says what was asked (URL, subject or id), what the
 * registry answered and what to do.
 *
 * <p>It extends Kafka's {@link SerializationException} so that the serdes can let it through unchanged
 * and Kafka's error paths treat it as the serialization failure it is: the consumer wraps it in a
 * {@code RecordDeserializationException}, Kafka Streams hands it to the deserialization or production
 * exception handler. Those handlers tell a poison record from a passing outage with
 * {@code instanceof SchemaRegistryUnavailableException}, the only retriable subclass.
 */
public class SchemaRegistryException extends SerializationException {

    /** {@link #httpStatus()} when no HTTP response was received (connection failure, in-memory registry). */
    public static final int NO_HTTP_STATUS = -1;
    /** {@link #errorCode()} when the answer carried no Confluent {@code error_code}. */
    public static final int NO_ERROR_CODE = -1;

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the registry's answer, or {@link #NO_HTTP_STATUS}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The Confluent {@code error_code} of the registry's answer (e.g. 40401), or {@link #NO_ERROR_CODE}. */
    public int errorCode() {
        return errorCode;
    }
}
