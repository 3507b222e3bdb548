package io.rollstream.featurestore.routing;

import org.apache.kafka.streams.state.HostInfo;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instances that could not be reached a moment ago. They are tried last rather than first, so that
 * while a dead owner's partitions wait for the group to notice, reads go straight to a standby
 * instead of each paying for a connection that fails (or, across a network, times out).
 */
final class RecentFailures {

    private final ConcurrentHashMap<HostInfo, Long> failedAt = new ConcurrentHashMap<>();
    private final long forgetAfterNanos;

    RecentFailures(final Duration forgetAfter) {
        this.forgetAfterNanos = forgetAfter.toNanos();
    }

    void failed(final HostInfo host) {
        failedAt.put(host, System.nanoTime());
    }

    void answered(final HostInfo host) {
        if (!failedAt.isEmpty()) {
            failedAt.remove(host);
        }
    }

    boolean isSuspect(final HostInfo host) {
        final Long at = failedAt.get(host);
        return at != null && System.nanoTime() - at < forgetAfterNanos;
    }
}
