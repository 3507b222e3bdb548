package io.rollstream.topologies.ingest;

/** Why a record went to the dead-letter topic; the value of the {@code rollstream.dlq.reason} header. */
public enum RejectReason {
    /** Not in the Confluent wire format, or the Avro body does not decode with its schema. */
    MALFORMED,
    /** The wire format names a schema id the registry does not know. */
    UNKNOWN_SCHEMA,
    MISSING_EVENT_ID,
    MISSING_USER_ID,
    /** An event type this pipeline does not know (a newer writer's enum symbol reads as UNKNOWN). */
    UNKNOWN_EVENT_TYPE,
    /** Event time further in the future than the allowed clock skew. */
    FUTURE_EVENT_TIME,
    /** Event time older than the allowed lateness: no window kept can hold it any more. */
    LATE_EVENT
}
