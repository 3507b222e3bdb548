package io.rollstream.client;

/**
 * The server refused the request with a 4xx status: an unknown feature name, a malformed id, an
 * unknown entity (404), too many ids (413). Retrying the same request cannot help; fix it.
 */
public final class BadRequestException extends FeatureClientException {

    private final int status;
    private final String serverMessage;

    public BadRequestException(final String message, final int status, final String serverMessage) {
        super(message);
        this.status = status;
        this.serverMessage = serverMessage;
    }

    /** The HTTP status the server answered, 400 to 499. */
    public int status() {
        return status;
    }

    /** The server's own explanation, the {@code error} field of its answer. */
    public String serverMessage() {
        return serverMessage;
    }
}
