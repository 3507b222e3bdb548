package io.rollstream.publisher;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A typed way to write a {@link ClickEvent}: {@code EventPublisher.event(EventType.PURCHASE).user("u-1")
 * .item("sku-9").price(19.99).build()}. The event id defaults to a random UUID and the event time to now;
 * set them yourself when the event happened earlier or when you may resend it (a resend with the same id
 * counts once).
 */
public final class EventBuilder {

    private final ClickEvent.Builder event = ClickEvent.newBuilder();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Clock clock;

    EventBuilder(final EventType type, final Clock clock) {
        Objects.requireNonNull(type, "type");
        if (type == EventType.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN is what a reader sees for a type it does not know; the "
                    + "pipeline dead-letters it. Publish one of the other EventType values.");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        event.setEventType(type);
    }

    /** Required: the user the event belongs to; also the Kafka key, so all of a user's events stay in order. */
    public EventBuilder user(final String userId) {
        event.setUserId(requireText(userId, "user id"));
        return this;
    }

    /** The dedupe key; a random UUID when not set. */
    public EventBuilder id(final String eventId) {
        event.setEventId(requireText(eventId, "event id"));
        return this;
    }

    /** When it happened on the client (event time); now when not set. */
    public EventBuilder time(final Instant eventTime) {
        event.setEventTime(Objects.requireNonNull(eventTime, "eventTime"));
        return this;
    }

    public EventBuilder session(final String sessionId) {
        event.setSessionId(sessionId);
        return this;
    }

    public EventBuilder item(final String itemId) {
        event.setItemId(itemId);
        return this;
    }

    public EventBuilder category(final String category) {
        event.setCategory(category);
        return this;
    }

    public EventBuilder price(final double price) {
        if (!Double.isFinite(price)) {
            throw new IllegalArgumentException("price must be a finite number, got " + price);
        }
        event.setPrice(price);
        return this;
    }

    public EventBuilder quantity(final int quantity) {
        event.setQuantity(quantity);
        return this;
    }

    public EventBuilder searchQuery(final String query) {
        event.setSearchQuery(query);
        return this;
    }

    public EventBuilder pageUrl(final String url) {
        event.setPageUrl(url);
        return this;
    }

    public EventBuilder referrer(final String referrer) {
        event.setReferrer(referrer);
        return this;
    }

    public EventBuilder device(final String device) {
        event.setDevice(device);
        return this;
    }

    public EventBuilder country(final String country) {
        event.setCountry(country);
        return this;
    }

    /** A free-form string property. */
    public EventBuilder property(final String key, final String value) {
        properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** @throws IllegalStateException when no user id was given */
    public ClickEvent build() {
        if (!event.hasUserId()) {
            throw new IllegalStateException("a " + event.getEventType() + " event needs a user id: call user(...)");
        }
        if (!event.hasEventId()) {
            event.setEventId(UUID.randomUUID().toString());
        }
        if (!event.hasEventTime()) {
            event.setEventTime(clock.instant());
        }
        return event.setProperties(Map.copyOf(properties)).build();
    }

    private static String requireText(final String value, final String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be null or blank");
        }
        return value;
    }
}
