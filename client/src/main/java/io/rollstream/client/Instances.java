package io.rollstream.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The feature store instances a client may ask, any of which answers any key. Each call starts at
 * the next one in turn, spreading load; an instance that refused a connection is tried last for a
 * while, so that a dead instance does not cost every call a connect attempt.
 */
final class Instances {

    /** How long an instance that refused a connection goes to the back of the order. */
    static final long UNREACHABLE_COOLDOWN_NANOS = 5_000_000_000L;

    private final List<URI> baseUrls;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<URI, Long> unreachableSince = new ConcurrentHashMap<>();

    Instances(final Collection<URI> baseUrls) {
        this.baseUrls = List.copyOf(baseUrls);
    }

    /** Every instance, in the order one call should try them. */
    List<URI> order() {
        final int size = baseUrls.size();
        final int start = Math.floorMod(next.getAndIncrement(), size);
        final long now = System.nanoTime();
        final List<URI> reachable = new ArrayList<>(size);
        final List<URI> unreachable = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            final URI baseUrl = baseUrls.get((start + i) % size);
            final Long since = unreachableSince.get(baseUrl);
            (since != null && now - since < UNREACHABLE_COOLDOWN_NANOS ? unreachable : reachable).add(baseUrl);
        }
        reachable.addAll(unreachable);
        return reachable;
    }

    void markUnreachable(final URI baseUrl) {
        unreachableSince.put(baseUrl, System.nanoTime());
    }

    void markReachable(final URI baseUrl) {
        unreachableSince.remove(baseUrl);
    }
}
