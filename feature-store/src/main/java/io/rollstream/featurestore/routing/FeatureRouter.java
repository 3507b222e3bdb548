package io.rollstream.featurestore.routing;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureVector;
import io.rollstream.featurestore.query.FeatureQueryException;
import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.query.ServedResult;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers reads of any key from any instance, within a deadline.
 *
 * <p>Each id gets a plan from the {@link RoutePlanner} (active owner, then copies within the lag
 * bound). Ids whose next route is the same instance are read together: local reads in the calling
 * thread, each forward as one sub-batch on its own virtual thread, all in parallel. An id whose
 * route fails moves on to its next route; an id with none left waits for the next round, after a
 * backoff (10 ms doubling to 200 ms) and with fresh metadata, since failures are mostly a
 * rebalance or a restore in progress. At the deadline the request fails with 503 and Retry-After;
 * an answer is never guessed. A request forwarded by another instance gets one round, here only.
 */
public final class FeatureRouter implements AutoCloseable {

    static final long FIRST_BACKOFF_MS = 10;
    static final long MAX_BACKOFF_MS = 200;
    static final int RETRY_AFTER_SECONDS = 1;
    /**
     * Local reads of one request are split across threads only in parts of at least this many: a
     * read takes tens of microseconds, about what handing work to another thread costs.
     */
    static final int MIN_LOCAL_READS_PER_THREAD = 16;
    /** Long enough to spare the requests of the next second a dead host's connect error, short enough to notice it is back. */
    private static final Duration SUSPECT_AFTER_FAILURE = Duration.ofSeconds(1);

    private final HostInfo self;
    private final String selfAddress;
    private final ServingSettings settings;
    private final LocalReplicas replicas;
    private final Peers peers;
    private final RoutePlanner planner;
    private final RecentFailures recentFailures = new RecentFailures(SUSPECT_AFTER_FAILURE);
    private final ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();
    private final ServingMetrics metrics;

    public FeatureRouter(final HostInfo self, final ServingSettings settings, final LocalReplicas replicas,
                         final Peers peers) {
        this(self, settings, replicas, peers, new ServingMetrics());
    }

    public FeatureRouter(final HostInfo self, final ServingSettings settings, final LocalReplicas replicas,
                         final Peers peers, final ServingMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics);
        this.self = Objects.requireNonNull(self);
        this.selfAddress = self.host() + ":" + self.port();
        this.settings = Objects.requireNonNull(settings);
        this.replicas = Objects.requireNonNull(replicas);
        this.peers = Objects.requireNonNull(peers);
        this.planner = new RoutePlanner(Objects.requireNonNull(self), settings.maxStandbyLagRecords());
    }

    public ServingSettings settings() {
        return settings;
    }

    public ServingMetrics metrics() {
        return metrics;
    }

    /**
     * Reads the features of {@code ids} (validated ids of {@code entity}) with windows anchored at
     * {@code asOf}.
     *
     * @param forwarded whether another instance forwarded this request (then only local copies answer)
     * @return one result per id, in the order of {@code ids} (a repeated id is read once)
     * @throws FeatureQueryException 503 when some id could not be read before the deadline
     */
    public List<ServedResult> read(final ServedEntity entity, final List<String> ids, final FeatureSelection selection,
                                   final long asOf, final boolean forwarded) {
        final long started = System.nanoTime();
        try {
            return readWithinDeadline(entity, ids, selection, asOf, forwarded, started);
        } finally {
            metrics.requestTook(System.nanoTime() - started);
        }
    }

    private List<ServedResult> readWithinDeadline(final ServedEntity entity, final List<String> ids,
                                                  final FeatureSelection selection, final long asOf,
                                                  final boolean forwarded, final long started) {
        final long deadline = started + settings.requestTimeout().toNanos();
        final Request request = new Request(entity, selection, asOf, forwarded, deadline);
        List<String> pending = List.copyOf(new LinkedHashSet<>(ids));
        long backoffMs = FIRST_BACKOFF_MS;
        while (true) {
            pending = request.round(pending);
            if (pending.isEmpty()) {
                break;
            }
            final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (forwarded || remainingMs <= 0) {
                metrics.unavailable();
                throw unavailable(request, pending);
            }
            metrics.retryRound();
            sleep(Math.min(backoffMs, remainingMs));
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
        return request.answersInOrder(ids);
    }

    /**
     * The answers when every id can be read at once from a copy on this instance (no forward, no
     * retry); {@code null} otherwise, having waited for nothing, so that the caller can {@link #read}
     * on a thread that may wait. Lets the HTTP server answer most single gets on its I/O thread.
     */
    public List<ServedResult> readWithoutWaiting(final ServedEntity entity, final List<String> ids,
                                                 final FeatureSelection selection, final long asOf,
                                                 final boolean forwarded) {
        final long started = System.nanoTime();
        final Request request = new Request(entity, selection, asOf, forwarded,
                started + settings.requestTimeout().toNanos());
        final List<String> distinct = List.copyOf(new LinkedHashSet<>(ids));
        final List<Plan> plans = request.plan(distinct, new ArrayList<>(), new HashMap<>());
        if (plans.size() < distinct.size()) {
            return null;
        }
        final Map<Route, List<Plan>> byRoute = byRoute(plans);
        for (final Route route : byRoute.keySet()) {
            if (!route.kind().isLocal()) {
                return null;
            }
        }
        if (!request.runHere(byRoute).isEmpty()) {
            return null;
        }
        metrics.requestTook(System.nanoTime() - started);
        return request.answersInOrder(ids);
    }

    /**
     * Whether this instance holds the active copy of the partition of the store key {@code key}, as
     * Kafka Streams' metadata says now: where a read with no failures would go first.
     */
    public boolean isActiveHere(final ServedEntity entity, final String key) {
        return self.equals(replicas.locate(entity.storeName(), key).activeHost());
    }

    /** Plans grouped by their next route, in the order the routes first appear. */
    private static Map<Route, List<Plan>> byRoute(final List<Plan> plans) {
        final Map<Route, List<Plan>> byRoute = new LinkedHashMap<>();
        for (final Plan plan : plans) {
            byRoute.computeIfAbsent(plan.route(), route -> new ArrayList<>()).add(plan);
        }
        return byRoute;
    }

    private FeatureQueryException unavailable(final Request request, final List<String> pending) {
        final String first = pending.get(0);
        final String which = pending.size() == 1 ? "'" + first + "'"
                : pending.size() + " ids ('" + first + "' and others)";
        final String what = request.forwarded
                ? "this instance cannot read " + which + " of '" + request.entity.name() + "' (forwarded requests are "
                        + "answered here or not at all)"
                : "could not read " + which + " of '" + request.entity.name() + "' within "
                        + settings.requestTimeout().toMillis() + " ms";
        final String why = request.reasons.getOrDefault(first, "the deadline passed before any copy could be asked");
        return FeatureQueryException.unavailable(what + ": " + why + "; retry in " + RETRY_AFTER_SECONDS + " s",
                RETRY_AFTER_SECONDS);
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FeatureQueryException.unavailable("interrupted while waiting to retry; retry the request", 1);
        }
    }

    /** One id's routes, and how far along them it is. */
    private static final class Plan {
        final String id;
        final int partition;
        final List<Route> routes;
        int next;

        Plan(final String id, final int partition, final List<Route> routes) {
            this.id = id;
            this.partition = partition;
            this.routes = routes;
        }

        Route route() {
            return routes.get(next);
        }
    }

    /** What one group of reads brought: answers, and why the other ids got none. */
    private record Outcome(List<ServedResult> answered, Map<String, String> failed) {
    }

    /** The state of one request across its rounds. */
    private final class Request {
        final ServedEntity entity;
        final FeatureSelection selection;
        final long asOf;
        final boolean forwarded;
        final long deadline;
        final Map<String, ServedResult> answers = new HashMap<>();
        /** Why each unanswered id failed, from the latest round that tried something. */
        final Map<String, String> reasons = new HashMap<>();

        Request(final ServedEntity entity, final FeatureSelection selection, final long asOf, final boolean forwarded,
                final long deadline) {
            this.entity = entity;
            this.selection = selection;
            this.asOf = asOf;
            this.forwarded = forwarded;
            this.deadline = deadline;
        }

        /** Tries every route of every pending id once; returns the ids still unanswered. */
        List<String> round(final List<String> pending) {
            final List<String> unanswered = new ArrayList<>();
            final Map<String, String> roundReasons = new HashMap<>();
            List<Plan> walking = plan(pending, unanswered, roundReasons);
            while (!walking.isEmpty()) {
                final Map<String, String> failed = run(byRoute(walking));
                final List<Plan> onward = new ArrayList<>();
                for (final Plan plan : walking) {
                    if (!failed.containsKey(plan.id)) {
                        continue;
                    }
                    final String failure = failed.get(plan.id);
                    if (failure != null) {
                        roundReasons.merge(plan.id, failure, (earlier, later) -> earlier + "; " + later);
                    }
                    plan.next++;
                    if (plan.next < plan.routes.size() && System.nanoTime() < deadline) {
                        onward.add(plan);
                    } else {
                        unanswered.add(plan.id);
                    }
                }
                walking = onward;
            }
            // A round cut short by the deadline keeps the reasons of the one before: they say why.
            reasons.putAll(roundReasons);
            return unanswered;
        }

        /** Each id's routes; an id with none goes to {@code unanswered}, with why. */
        List<Plan> plan(final List<String> ids, final List<String> unanswered, final Map<String, String> why) {
            final List<Plan> plans = new ArrayList<>(ids.size());
            for (final String id : ids) {
                final KeyQueryMetadata owners = replicas.locate(entity.storeName(), entity.storeKey(id));
                final boolean known = !owners.equals(KeyQueryMetadata.NOT_AVAILABLE);
                final OptionalLong localLag = known ? replicas.readableLag(entity.storeName(), owners.partition())
                        : OptionalLong.empty();
                final List<Route> routes = planner.plan(owners, localLag, forwarded, recentFailures::isSuspect);
                if (routes.isEmpty()) {
                    why.put(id, !known ? "no instance owns its partition yet (the application is starting or rebalancing)"
                            : "it holds no copy of partition " + owners.partition() + " within "
                                    + settings.maxStandbyLagRecords() + " records of lag");
                    unanswered.add(id);
                } else {
                    plans.add(new Plan(id, owners.partition(), routes));
                }
            }
            return plans;
        }

        List<ServedResult> answersInOrder(final List<String> ids) {
            final List<ServedResult> results = new ArrayList<>(ids.size());
            for (final String id : ids) {
                results.add(answers.get(id));
            }
            return results;
        }

        /**
         * Runs each group of reads, all at once: each forward on a virtual thread of its own, local
         * reads split across the CPUs when there are many, the last part on this thread. Returns the
         * failed ids with why ({@code null} for a route the deadline left no time to try).
         */
        Map<String, String> run(final Map<Route, List<Plan>> byRoute) {
            final List<Map.Entry<Route, List<Plan>>> parts = new ArrayList<>();
            final List<Map.Entry<Route, List<Plan>>> local = new ArrayList<>();
            for (final Map.Entry<Route, List<Plan>> group : byRoute.entrySet()) {
                if (group.getKey().kind().isLocal()) {
                    local.addAll(localParts(group.getKey(), group.getValue()));
                } else {
                    parts.add(group);
                }
            }
            parts.addAll(local);
            final Map<String, String> failed = new HashMap<>();
            if (parts.isEmpty()) {
                return failed;
            }
            final int last = parts.size() - 1;
            final List<Future<Outcome>> futures = new ArrayList<>(last);
            for (final Map.Entry<Route, List<Plan>> part : parts.subList(0, last)) {
                final Callable<Outcome> task = () -> attempt(part.getKey(), part.getValue());
                futures.add(fanOut.submit(task));
            }
            collect(attempt(parts.get(last).getKey(), parts.get(last).getValue()), failed);
            for (int i = 0; i < last; i++) {
                collect(await(futures.get(i), parts.get(i).getKey(), parts.get(i).getValue()), failed);
            }
            return failed;
        }

        /** Reads these ids here, or not at all; nothing waits. */
        Map<String, String> runHere(final Map<Route, List<Plan>> local) {
            final Map<String, String> failed = new HashMap<>();
            for (final Map.Entry<Route, List<Plan>> group : local.entrySet()) {
                collect(readLocally(group.getKey(), group.getValue()), failed);
            }
            return failed;
        }

        private Outcome attempt(final Route route, final List<Plan> plans) {
            return route.kind().isLocal() ? readLocally(route, plans) : forward(route, plans);
        }

        /** A local group in one part per CPU, when it is large enough to gain more than the hand-over costs. */
        private static List<Map.Entry<Route, List<Plan>>> localParts(final Route route, final List<Plan> plans) {
            final int count = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
                    plans.size() / MIN_LOCAL_READS_PER_THREAD));
            final List<Map.Entry<Route, List<Plan>>> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                parts.add(Map.entry(route, plans.subList(i * plans.size() / count, (i + 1) * plans.size() / count)));
            }
            return parts;
        }

        private void collect(final Outcome outcome, final Map<String, String> failed) {
            for (final ServedResult result : outcome.answered()) {
                answers.put(result.id(), result);
            }
            failed.putAll(outcome.failed());
        }

        private Outcome await(final Future<Outcome> future, final Route route, final List<Plan> plans) {
            // The forward's own HTTP timeout ends it by the deadline; the margin only covers scheduling.
            final long waitNanos = Math.max(0, deadline - System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(100);
            try {
                return future.get(waitNanos, TimeUnit.NANOSECONDS);
            } catch (final TimeoutException e) {
                future.cancel(true);
                return failedAll(plans, describe(route) + " did not answer before the deadline");
            } catch (final ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                future.cancel(true);
                return failedAll(plans, "interrupted");
            }
        }

        private Outcome readLocally(final Route route, final List<Plan> plans) {
            final boolean stale = route.kind() == Route.Kind.LOCAL_STANDBY;
            final List<ServedResult> answered = new ArrayList<>(plans.size());
            final Map<String, String> failed = new HashMap<>();
            final FeatureEngine engine = entity.engine();
            for (final Plan plan : plans) {
                long lag = 0;
                if (stale) {
                    // Judged again at read time: the plan may be a round old.
                    final OptionalLong measured = replicas.readableLag(entity.storeName(), plan.partition);
                    if (measured.isEmpty() || measured.getAsLong() > settings.maxStandbyLagRecords()) {
                        failed.put(plan.id, "the copy of partition " + plan.partition + " here is no longer within "
                                + settings.maxStandbyLagRecords() + " records of lag");
                        continue;
                    }
                    lag = measured.getAsLong();
                }
                try {
                    final EntityState state = replicas.read(entity.storeName(), plan.partition, entity.storeKey(plan.id), stale);
                    final EntityState read = state == null ? engine.newState() : state;
                    final FeatureVector vector = selection.all() ? engine.read(read, asOf)
                            : engine.read(read, asOf, selection.computed());
                    answered.add(new ServedResult.Local(plan.id, vector, stale, selfAddress, lag));
                } catch (final InvalidStateStoreException e) {
                    failed.put(plan.id, (stale ? "the copy" : "the active copy") + " of partition " + plan.partition
                            + " here is not queryable (" + e.getMessage() + ")");
                }
            }
            metrics.localReads(answered.size(), stale);
            return new Outcome(answered, failed);
        }

        private Outcome forward(final Route route, final List<Plan> plans) {
            final long remainingNanos = deadline - System.nanoTime();
            if (remainingNanos <= 0) {
                return failedAll(plans, null);
            }
            final Duration timeout = Duration.ofNanos(Math.min(remainingNanos, settings.forwardTimeout().toNanos()));
            final List<String> ids = new ArrayList<>(plans.size());
            for (final Plan plan : plans) {
                ids.add(plan.id);
            }
            try {
                final List<ServedResult.Relayed> relayed = peers.read(route.host(), entity.name(), ids, selection, asOf, timeout);
                recentFailures.answered(route.host());
                metrics.forwarded(false);
                return new Outcome(List.copyOf(relayed), Map.of());
            } catch (final PeerException e) {
                metrics.forwarded(true);
                if (e.unreachable()) {
                    recentFailures.failed(route.host());
                }
                return failedAll(plans, describe(route) + " " + e.getMessage());
            }
        }

        private static Outcome failedAll(final List<Plan> plans, final String why) {
            final Map<String, String> failed = new HashMap<>();
            for (final Plan plan : plans) {
                failed.put(plan.id, why);
            }
            return new Outcome(List.of(), failed);
        }

        private static String describe(final Route route) {
            final String which = switch (route.kind()) {
                case LOCAL_ACTIVE -> "the active copy on this instance ";
                case LOCAL_STANDBY -> "the copy on this instance ";
                case REMOTE_ACTIVE -> "the active owner ";
                case REMOTE_STANDBY -> "the standby ";
            };
            return which + route.host().host() + ":" + route.host().port();
        }
    }

    @Override
    public void close() {
        fanOut.shutdownNow();
        metrics.close();
    }
}
