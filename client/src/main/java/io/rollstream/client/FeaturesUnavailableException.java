package io.rollstream.client;

import java.time.Duration;
import java.util.Optional;

/**
 * No answer within the request timeout: the owning instance stayed unavailable (503 through every
 * retry), no instance accepted a connection, or none answered in time. Transient by nature; a
 * caller may retry later (after {@link #retryAfter()} when the server said) or score without the
 * features.
 */
public final class FeaturesUnavailableException extends FeatureClientException {

    private final Duration retryAfter;

    public FeaturesUnavailableException(final String message, final Duration retryAfter, final Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server last asked to wait before asking again ({@code Retry-After}), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
