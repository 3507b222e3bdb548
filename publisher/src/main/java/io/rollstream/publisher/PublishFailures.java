package io.rollstream.publisher;

import io.rollstream.publisher.PublishException.Reason;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.SchemaRegistryException;
import io.rollstream.schemas.registry.SchemaRegistryUnavailableException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Turns what the serializer and the producer throw into {@link PublishException}s that say whose problem it
 * is (the event, the registry, Kafka) and what to do, so callers decide on {@link PublishException#reason()}
 * rather than on Kafka's exception hierarchy.
 */
final class PublishFailures {

    private final String topic;
    private final String target;

    PublishFailures(final String topic, final String target) {
        this.topic = topic;
        this.target = target;
    }

    PublishException fromEncoding(final ClickEvent event, final RuntimeException error) {
        final SchemaRegistryException registryError = registryCause(error);
        if (registryError instanceof SchemaRegistryUnavailableException) {
            return new PublishException(Reason.REGISTRY_UNAVAILABLE, "Event " + event.getEventId() + " was not sent: "
                    + "the schema registry did not answer (" + registryError.getMessage() + "). Retry later; "
                    + "nothing was written.", error);
        }
        if (registryError != null) {
            return new PublishException(Reason.SCHEMA_REJECTED, "Event " + event.getEventId() + " was not sent: the "
                    + "schema registry refused the ClickEvent schema for subject " + topic + "-value ("
                    + registryError.getMessage() + "). Retrying will not help: fix the subject's compatibility "
                    + "setting or register the schema.", error);
        }
        return new PublishException(Reason.INVALID_EVENT, "Event " + event.getEventId() + " cannot be encoded as a "
                + "ClickEvent: " + error.getMessage(), error);
    }

    PublishException fromKafka(final ClickEvent event, final Exception error) {
        final String what = "Event " + event.getEventId() + " (user " + event.getUserId() + ") to " + target;
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            return new PublishException(Reason.INVALID_EVENT, what + " is larger than Kafka accepts ("
                    + withoutFinalStop(error.getMessage()) + "); shorten its strings and properties.", error);
        }
        if (error instanceof RetriableException || error instanceof InterruptException) {
            return new PublishException(Reason.KAFKA_UNAVAILABLE, what + " was not acknowledged: "
                    + withoutFinalStop(error.getMessage()) + ". The brokers are unreachable or slow, or the producer's buffer is full. "
                    + "Retry later; resending the same event id counts once.", error);
        }
        if (error instanceof IllegalStateException) {
            return new PublishException(Reason.CLOSED, what + " was not sent: the publisher is closed ("
                    + error.getMessage() + ").", error);
        }
        return new PublishException(Reason.KAFKA_REJECTED, what + " was refused by Kafka: " + error
                + ". Retrying will not help; check the producer's credentials, ACLs and settings.", error);
    }

    /** Kafka's messages end in a full stop; ours go on after them. */
    private static String withoutFinalStop(final String message) {
        final String text = String.valueOf(message).strip();
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static SchemaRegistryException registryCause(final Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registryError) {
                return registryError;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
