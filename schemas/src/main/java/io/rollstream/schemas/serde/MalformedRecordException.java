package io.rollstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes are not a Confluent-wire Avro record this reader can decode: empty, shorter than the header,
 * a wrong magic byte, or Avro that does not match the writer schema its header names. Poison, never
 * retriable: reading the same bytes again fails the same way, so dead-letter the record.
 *
 * <p>A {@link SerializationException}, so Kafka's consumer and Kafka Streams' deserialization exception
 * handler see it as the deserialization failure it is.
 */
public final class MalformedRecordException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
