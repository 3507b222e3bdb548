package io.rollstream.featurestore.routing;

/**
 * A forwarded read that brought no answer.
 *
 * <p>{@code unreachable} says the instance itself did not answer (connection refused, timeout), as
 * opposed to answering that it cannot serve the keys; an unreachable host is tried last for a while.
 */
public final class PeerException extends Exception {

    private final boolean unreachable;

    public PeerException(final String message, final boolean unreachable) {
        super(message);
        this.unreachable = unreachable;
    }

    public boolean unreachable() {
        return unreachable;
    }
}
