package io.rollstream.topologies.errors;

import java.time.Duration;
import java.util.Optional;

/**
 * Lets one log line through per interval and counts the occurrences held back in between, so that
 * a stream of failing records costs a line every few seconds instead of one per record (the
 * metric counts each). The first occurrence always passes. Shared by every stream thread.
 */
final class LogThrottle {

    /**
     * A line to log.
     *
     * @param heldBack occurrences not logged since the previous line
     * @param first    whether this is the first line: the one worth a stack trace
     */
    record Pass(long heldBack, boolean first) {
    }

    private final long intervalNanos;
    private long lastLoggedNanos;
    private boolean loggedOnce;
    private long heldBack;

    LogThrottle(final Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Whether the occurrence at {@code nowNanos} (a {@link System#nanoTime} reading) may be logged,
     * and what to say with it; empty if it is held back.
     */
    synchronized Optional<Pass> tryLog(final long nowNanos) {
        if (loggedOnce && nowNanos - lastLoggedNanos < intervalNanos) {
            heldBack++;
            return Optional.empty();
        }
        final Pass pass = new Pass(heldBack, !loggedOnce);
        loggedOnce = true;
        lastLoggedNanos = nowNanos;
        heldBack = 0;
        return Optional.of(pass);
    }
}
