package io.rollstream.client;

/**
 * Reading features failed. The subclasses say whether the request itself was wrong
 * ({@link BadRequestException}) or the features could not be had in time
 * ({@link FeaturesUnavailableException}); this class alone means the server answered something the
 * client could not use (an internal error, an unreadable or mismatched answer).
 * Every message names the URL, the entity and id, what the server said and what to do.
 */
public class FeatureClientException extends RuntimeException {

    public FeatureClientException(final String message) {
        super(message);
    }

    public FeatureClientException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
