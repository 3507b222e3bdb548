package io.rollstream.collector;

import java.util.Map;

/**
 * A request refused as a whole, before any event of it was written: the HTTP status, a message naming what
 * was wrong and what to do, and extra fields for the JSON answer (the limit that was exceeded).
 */
final class RequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, Object> details;

    RequestException(final int status, final String message) {
        this(status, message, Map.of());
    }

    RequestException(final int status, final String message, final Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.details = Map.copyOf(details);
    }

    int status() {
        return status;
    }

    Map<String, Object> details() {
        return details;
    }
}
