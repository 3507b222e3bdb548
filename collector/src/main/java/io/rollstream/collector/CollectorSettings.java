package io.rollstream.collector;

import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.schemas.contract.Topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link CollectorServer} needs: where to write, where to listen, and the limits that keep one
 * client from exhausting it. Built with {@link #builder()}; every limit has a default, brokers and registry
 * do not.
 *
 * @param bootstrapServers    Kafka brokers, {@code host:port[,...]}
 * @param registryUrl         Confluent-compatible schema registry base URL
 * @param topic               the events topic
 * @param httpHost            address to listen on; loopback unless the collector should be reachable from outside
 * @param httpPort            port to listen on; 0 for any free one
 * @param maxBodyBytes        a larger request body is refused with 413
 * @param maxBatchEvents      a request with more events is refused with 413
 * @param maxConcurrentRequests requests beyond this many at once get 503: bodies are held in memory until Kafka
 *                            acknowledges, so this bounds the memory requests can take
 * @param maxFutureSkew       an event_time further ahead of this collector's clock is rejected (a wrong client clock)
 * @param maxEventAge         an older event_time is rejected: the pipeline would dead-letter it as late
 * @param deliveryTimeout     how long Kafka gets to acknowledge a batch before the request fails with 503
 * @param maxBlock            how long a send may wait for Kafka metadata or producer buffer space before 503
 * @param retryAfter          the {@code Retry-After} of a 503
 * @param producerProperties  extra Kafka producer settings (security, compression, tuning)
 * @param eventLimits         the contract's limits on an event's fields and size ({@link EventLimits}): a larger event is refused
 */
public record CollectorSettings(String bootstrapServers, String registryUrl, String topic, String httpHost,
                                int httpPort, int maxBodyBytes, int maxBatchEvents, int maxConcurrentRequests,
                                Duration maxFutureSkew, Duration maxEventAge, Duration deliveryTimeout,
                                Duration maxBlock, Duration retryAfter, Map<String, Object> producerProperties,
                                EventLimits eventLimits) {

    public static final String DEFAULT_TOPIC = Topics.EVENTS;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH_EVENTS = 1000;
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
    /** The pipeline's own allowance ({@code rollstream.ingest.max-future-skew.ms}). */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = ClockSkew.DEFAULT_MAX_FUTURE_SKEW;
    /** The longest window of the default features: anything older could change no feature. */
    public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofDays(30);
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

    public CollectorSettings {
        requireText(bootstrapServers, "bootstrap servers (host:port of the Kafka brokers)");
        requireText(registryUrl, "registry URL (the Confluent-compatible schema registry)");
        requireText(topic, "topic");
        requireText(httpHost, "HTTP host");
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("HTTP port must be 0 (any free port) to 65535, got " + httpPort);
        }
        requireAtLeast(maxBodyBytes, 1024, "max body bytes");
        requireAtLeast(maxBatchEvents, 1, "max batch events");
        requireAtLeast(maxConcurrentRequests, 1, "max concurrent requests");
        requirePositive(maxFutureSkew, "max future skew", true);
        requirePositive(maxEventAge, "max event age", false);
        requirePositive(deliveryTimeout, "delivery timeout", false);
        requirePositive(maxBlock, "max block", false);
        requirePositive(retryAfter, "retry-after", false);
        if (deliveryTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("delivery timeout must be at least 1s so Kafka can answer once, got "
                    + deliveryTimeout);
        }
        producerProperties = Map.copyOf(producerProperties);
        Objects.requireNonNull(eventLimits, "event limits");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Seconds for a {@code Retry-After} header: at least 1. */
    public int retryAfterSeconds() {
        return (int) Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    private static void requireText(final String value, final String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the collector needs a " + what);
        }
    }

    private static void requireAtLeast(final int value, final int minimum, final String what) {
        if (value < minimum) {
            throw new IllegalArgumentException(what + " must be at least " + minimum + ", got " + value);
        }
    }

    private static void requirePositive(final Duration value, final String what, final boolean zeroAllowed) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new IllegalArgumentException(what + " must be " + (zeroAllowed ? "zero or more" : "positive")
                    + ", got " + value);
        }
    }

    /** Builds settings; {@link #bootstrapServers} and {@link #registryUrl} are required. */
    public static final class Builder {
        private String bootstrapServers;
        private String registryUrl;
        private String topic = DEFAULT_TOPIC;
        private String httpHost = DEFAULT_HOST;
        private int httpPort = DEFAULT_PORT;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxBatchEvents = DEFAULT_MAX_BATCH_EVENTS;
        private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
        private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
        private Duration maxEventAge = DEFAULT_MAX_EVENT_AGE;
        private Duration deliveryTimeout = DEFAULT_DELIVERY_TIMEOUT;
        private Duration maxBlock = DEFAULT_MAX_BLOCK;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private final Map<String, Object> producerProperties = new HashMap<>();
        private EventLimits eventLimits = EventLimits.defaults();

        private Builder() {
        }

        public Builder bootstrapServers(final String value) {
            bootstrapServers = value;
            return this;
        }

        public Builder registryUrl(final String value) {
            registryUrl = value;
            return this;
        }

        public Builder topic(final String value) {
            topic = value;
            return this;
        }

        public Builder httpHost(final String value) {
            httpHost = value;
            return this;
        }

        public Builder httpPort(final int value) {
            httpPort = value;
            return this;
        }

        public Builder maxBodyBytes(final int value) {
            maxBodyBytes = value;
            return this;
        }

        public Builder maxBatchEvents(final int value) {
            maxBatchEvents = value;
            return this;
        }

        public Builder maxConcurrentRequests(final int value) {
            maxConcurrentRequests = value;
            return this;
        }

        public Builder maxFutureSkew(final Duration value) {
            maxFutureSkew = value;
            return this;
        }

        public Builder maxEventAge(final Duration value) {
            maxEventAge = value;
            return this;
        }

        public Builder deliveryTimeout(final Duration value) {
            deliveryTimeout = value;
            return this;
        }

        public Builder maxBlock(final Duration value) {
            maxBlock = value;
            return this;
        }

        public Builder retryAfter(final Duration value) {
            retryAfter = value;
            return this;
        }

        public Builder producerProperty(final String key, final Object value) {
            producerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The contract's limits on events; the same as the feature store's ingest, or events it would dead-letter pass here. */
        public Builder eventLimits(final EventLimits value) {
            eventLimits = value;
            return this;
        }

        public Builder producerProperties(final Map<String, ?> values) {
            values.forEach(this::producerProperty);
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is missing or out of range */
        public CollectorSettings build() {
            return new CollectorSettings(bootstrapServers, registryUrl, topic, httpHost, httpPort, maxBodyBytes,
                    maxBatchEvents, maxConcurrentRequests, maxFutureSkew, maxEventAge, deliveryTimeout, maxBlock,
                    retryAfter, producerProperties, eventLimits);
        }
    }
}
