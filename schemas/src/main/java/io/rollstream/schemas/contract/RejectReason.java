package io.rollstream.schemas.contract;

/**
 * Why a record went to the dead-letter topic: the value of the {@code rollstream.dlq.reason}
 * header. The collector refuses an event for the same reasons, with the same words, before it is
 * ever written ({@link EventValidator}).
 */
public enum RejectReason {
    /**
     * Not in the Confluent wire format, or the Avro body does not decode with its schema, or it
     * declares a length (string, bytes, array, map) that the record's own bytes cannot hold.
     */
    MALFORMED,
    /** The wire format names a schema id the registry does not know. */
    UNKNOWN_SCHEMA,
    /** A field, the properties map, the record's key or headers, or the whole event passes a limit of {@link EventLimits}. */
    OVERSIZED,
    MISSING_EVENT_ID,
    MISSING_USER_ID,
    /** An id (event, user, session, item) that is blank or holds a control character. */
    INVALID_ID,
    /** An event type this pipeline does not know (a newer writer's enum symbol reads as UNKNOWN). */
    UNKNOWN_EVENT_TYPE,
    /** Event time further in the future than the allowed clock skew. */
    FUTURE_EVENT_TIME,
    /**
     * The record's own timestamp is further ahead of the instance's clock than the allowed skew: let
     * in, it would move the partition's stream time ahead and make every later event late.
     */
    FUTURE_RECORD_TIME,
    /** Event time older than the allowed lateness: no window kept can hold it any more. */
    LATE_EVENT,
    /** Processing the record threw; the exception is in the headers, and processing went on. */
    PROCESSING_FAILED
}
