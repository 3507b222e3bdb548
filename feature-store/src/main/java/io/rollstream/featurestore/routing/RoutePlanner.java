package io.rollstream.featurestore.routing;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Decides where to read one key, from what Kafka Streams says about its partition and what this
 * instance holds: a pure function, so every routing rule is a unit test.
 *
 * <ol>
 *   <li>the active owner first: here if this instance is it, otherwise forwarded to it;</li>
 *   <li>then, for a stale answer, this instance's own copy if it is within the lag bound (a standby,
 *       or the active while it restores);</li>
 *   <li>then the other standbys, forwarded; each judges its own lag.</li>
 * </ol>
 * A request that was forwarded to this instance is answered here or not at all: it is never
 * forwarded again, so two instances with different views of the assignment cannot bounce a request
 * between them. Hosts that failed to answer a moment ago go to the end of the list, so a dead
 * owner costs one failed connection, not one per request. Unknown metadata (the application is
 * starting or rebalancing) plans nothing: the caller backs off and asks again.
 */
public final class RoutePlanner {

    private static final Comparator<HostInfo> BY_ADDRESS = Comparator.comparing(HostInfo::host)
            .thenComparingInt(HostInfo::port);

    private final HostInfo self;
    private final long maxStandbyLagRecords;

    public RoutePlanner(final HostInfo self, final long maxStandbyLagRecords) {
        this.self = self;
        this.maxStandbyLagRecords = maxStandbyLagRecords;
    }

    /**
     * @param owners    where the key's partition lives; {@code null} or {@link KeyQueryMetadata#NOT_AVAILABLE}
     *                  when Kafka Streams does not know yet
     * @param localLag  how many changelog records this instance's copy of that partition is behind,
     *                  empty when it holds no copy it could read
     * @param forwarded whether another instance forwarded this request
     * @param suspect   hosts that failed to answer recently
     * @return the routes to try, best first; empty when none can answer now
     */
    public List<Route> plan(final KeyQueryMetadata owners, final OptionalLong localLag, final boolean forwarded,
                            final Predicate<HostInfo> suspect) {
        if (owners == null || owners.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return List.of();
        }
        final List<Route> plan = new ArrayList<>(2 + owners.standbyHosts().size());
        final List<Route> suspects = new ArrayList<>(0);
        if (self.equals(owners.activeHost())) {
            plan.add(new Route(Route.Kind.LOCAL_ACTIVE, self));
        } else if (!forwarded) {
            (suspect.test(owners.activeHost()) ? suspects : plan).add(new Route(Route.Kind.REMOTE_ACTIVE, owners.activeHost()));
        }
        if (localLag.isPresent() && localLag.getAsLong() <= maxStandbyLagRecords) {
            plan.add(new Route(Route.Kind.LOCAL_STANDBY, self));
        }
        if (!forwarded) {
            owners.standbyHosts().stream()
                    .filter(host -> !host.equals(self))
                    .sorted(BY_ADDRESS)
                    .forEach(host -> (suspect.test(host) ? suspects : plan).add(new Route(Route.Kind.REMOTE_STANDBY, host)));
        }
        plan.addAll(suspects);
        return List.copyOf(plan);
    }
}
