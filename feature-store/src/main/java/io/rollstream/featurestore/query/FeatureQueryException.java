package io.rollstream.featurestore.query;

/**
 * A read that cannot be answered right now, with the HTTP status to answer with and, for a
 * passing condition, how soon to retry.
 */
public final class FeatureQueryException extends RuntimeException {

    private final int httpStatus;
    private final int retryAfterSeconds;

    private FeatureQueryException(final int httpStatus, final int retryAfterSeconds, final String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 503: the answer exists but this instance cannot give it now (rebalance, restore, not the owner). */
    public static FeatureQueryException unavailable(final String message, final int retryAfterSeconds) {
        return new FeatureQueryException(503, retryAfterSeconds, message);
    }

    public static FeatureQueryException badRequest(final String message) {
        return new FeatureQueryException(400, 0, message);
    }

    /** 413: more than the server accepts in one request; retrying the same request cannot help. */
    public static FeatureQueryException tooLarge(final String message) {
        return new FeatureQueryException(413, 0, message);
    }

    public static FeatureQueryException notFound(final String message) {
        return new FeatureQueryException(404, 0, message);
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Seconds for the Retry-After header; 0 when retrying the same request cannot help. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
