package io.rollstream.publisher;

import java.util.Objects;

/**
 * An event was not published. {@link #reason()} says whose problem it is and {@link #isRetriable()} whether
 * sending the same event again can succeed; the message names the event, the cause and what to do. Resending
 * is safe: the pipeline counts an {@code event_id} once.
 */
public final class PublishException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an event was not published. */
    public enum Reason {
        /** The event itself is unusable (no user id, a value its schema does not allow, too large). Fix the event. */
        INVALID_EVENT(false),
        /** The registry refused the schema (incompatible, invalid, or not registered with auto-registration off). */
        SCHEMA_REJECTED(false),
        /** The schema registry did not answer. Retry later. */
        REGISTRY_UNAVAILABLE(true),
        /** Kafka did not acknowledge in time: brokers unreachable or slow, or the producer's buffer full. Retry later. */
        KAFKA_UNAVAILABLE(true),
        /** Kafka refused the write for a reason retrying does not fix (authorization, a fenced producer). */
        KAFKA_REJECTED(false),
        /** The publisher was closed before the event was handed to Kafka. */
        CLOSED(false);

        private final boolean retriable;

        Reason(final boolean retriable) {
            this.retriable = retriable;
        }
    }

    private final Reason reason;

    public PublishException(final Reason reason, final String message, final Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the same event may succeed later: the registry or Kafka was unavailable, not the event wrong. */
    public boolean isRetriable() {
        return reason.retriable;
    }
}
