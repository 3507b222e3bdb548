package io.rollstream.collector;

import io.rollstream.publisher.EventPublisher;
import io.rollstream.publisher.PublishException;
import io.rollstream.schemas.ClickEvent;

import java.util.concurrent.CompletableFuture;

/**
 * Where the collector writes valid events: in production {@link EventPublisher#send}. The future completes
 * once Kafka acknowledged the event, or fails with a {@link PublishException} whose reason decides the answer
 * (retriable: 503; the event's fault: rejected; anything else: 500).
 */
@FunctionalInterface
public interface EventSink {

    CompletableFuture<?> send(ClickEvent event);
}
