package io.rollstream.featurestore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether stream threads fail too often for this instance to be worth keeping: {@link #maxFailures}
 * or more failures within the last {@link #window} make it unhealthy, so that {@code /health}
 * answers 503 and an orchestrator restarts it. Replacing threads with backoff rides out a passing
 * fault; failing this often, the instance is stuck (a broken state directory, a bug met on every
 * start), and a new process, perhaps on another machine, is the next thing to try. It turns healthy
 * again by itself once the failures are older than the window.
 *
 * <p>Keeps the times of the last {@code maxFailures} failures only: enough to tell, whatever has
 * happened before.
 */
final class ThreadFailureWindow {

    private final int maxFailures;
    private final Duration window;
    private final Deque<Instant> recent = new ArrayDeque<>();
    private String lastCause;

    ThreadFailureWindow(final int maxFailures, final Duration window) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, was " + maxFailures);
        }
        this.maxFailures = maxFailures;
        this.window = Objects.requireNonNull(window, "window");
    }

    /** Remembers a stream thread's failure at {@code at}, for what {@code cause} says. */
    synchronized void failed(final Instant at, final String cause) {
        recent.addLast(at);
        if (recent.size() > maxFailures) {
            recent.removeFirst();
        }
        lastCause = cause;
    }

    /** Failures within the window that ends at {@code now}, at most {@link #maxFailures}. */
    synchronized int failuresWithin(final Instant now) {
        final Instant since = now.minus(window);
        int count = 0;
        for (final Instant at : recent) {
            if (at.isAfter(since)) {
                count++;
            }
        }
        return count;
    }

    /** Why the instance should be restarted, when it should. */
    synchronized Optional<String> problem(final Instant now) {
        final int failures = failuresWithin(now);
        if (failures < maxFailures) {
            return Optional.empty();
        }
        return Optional.of(failures + " stream thread failures within " + window + " (at most "
                + FeatureStoreConfig.MAX_THREAD_FAILURES + "=" + maxFailures + " within "
                + FeatureStoreConfig.THREAD_FAILURE_WINDOW_MS + "=" + window.toMillis() + "): each was replaced, "
                + "and they keep failing, so restart this instance. The last failure: " + lastCause);
    }

    int maxFailures() {
        return maxFailures;
    }

    Duration window() {
        return window;
    }
}
