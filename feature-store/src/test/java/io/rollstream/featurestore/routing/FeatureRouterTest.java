package io.rollstream.featurestore.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.featurestore.query.FeatureQueryException;
import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.query.ServedResult;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.rollstream.featurestore.routing.InMemoryReplicas.owners;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureRouterTest {

    private static final HostInfo SELF = new HostInfo("127.0.0.1", 8001);
    private static final HostInfo B = new HostInfo("127.0.0.1", 8002);
    private static final HostInfo C = new HostInfo("127.0.0.1", 8003);
    private static final long MAX_LAG = 100;
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final long AS_OF = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    private static final ServedEntity USER = ServedEntity.of(UserActivityFeatures.featureSet(), "store");
    private static final FeatureSelection ALL = USER.names().all();
    private static final String CLICKS_1H = "click_count_1h";

    private final InMemoryReplicas replicas = new InMemoryReplicas();
    private final FakePeers peers = new FakePeers();
    private final FeatureRouter router = new FeatureRouter(SELF,
            new ServingSettings(MAX_LAG, TIMEOUT, Duration.ofMillis(100), 1000), replicas, peers);

    @AfterEach
    void close() {
        router.close();
    }

    private double metric(final String name) {
        return router.metrics().metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(ServingMetrics.GROUP) && e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .findFirst().orElseThrow(() -> new AssertionError("no serving metric " + name));
    }

    @Test
    void shouldReadAKeyThisInstanceOwnsFromItsActiveCopyAsFresh() {
        replicas.owners.put("u1", owners(SELF, B));
        replicas.putClicks(USER.engine(), "u1", 3, AS_OF - 60_000);

        final ServedResult.Local result = (ServedResult.Local) router.read(USER, List.of("u1"), ALL, AS_OF, false).get(0);

        assertThat(result.stale()).isFalse();
        assertThat(result.lagRecords()).isZero();
        assertThat(result.servedBy()).isEqualTo("127.0.0.1:8001");
        assertThat(result.vector().get(CLICKS_1H)).isEqualTo(3L);
        assertThat(peers.calls).isEmpty();
        assertThat(metric("local-reads-total")).isEqualTo(1);
        assertThat(metric("forwards-total")).isZero();
        assertThat(metric("request-latency-max")).isPositive();
    }

    @Test
    void shouldReadWithoutWaitingOnlyWhatThisInstanceHoldsAndQueryableNow() {
        replicas.owners.put("mine", owners(SELF, B));
        replicas.owners.put("theirs", owners(B, C));
        replicas.owners.put("unknown", KeyQueryMetadata.NOT_AVAILABLE);
        replicas.putClicks(USER.engine(), "mine", 3, AS_OF - 60_000);

        final List<ServedResult> mine = router.readWithoutWaiting(USER, List.of("mine", "mine"), ALL, AS_OF, false);
        assertThat(mine).hasSize(2);
        assertThat(((ServedResult.Local) mine.get(1)).vector().get(CLICKS_1H)).isEqualTo(3L);
        assertThat(router.readWithoutWaiting(USER, List.of("mine", "theirs"), ALL, AS_OF, false))
                .as("a forward would wait").isNull();
        assertThat(router.readWithoutWaiting(USER, List.of("unknown"), ALL, AS_OF, false))
                .as("a retry would wait").isNull();
        replicas.activeQueryable = false;
        assertThat(router.readWithoutWaiting(USER, List.of("mine"), ALL, AS_OF, false))
                .as("the store is restoring").isNull();

        assertThat(peers.calls).isEmpty();
        assertThat(metric("retry-rounds-total")).isZero();
        assertThat(metric("unavailable-total")).isZero();
    }

    @Test
    void shouldForwardAKeyAnotherInstanceOwnsAndRelayItsAnswer() {
        replicas.owners.put("u1", owners(B, C));

        final ServedResult result = router.read(USER, List.of("u1"), ALL, AS_OF, false).get(0);

        assertThat(result).isInstanceOf(ServedResult.Relayed.class);
        assertThat(((ServedResult.Relayed) result).json().path("served_by").asText()).isEqualTo("127.0.0.1:8002");
        assertThat(peers.calls).containsExactly(new Call(B, List.of("u1"), AS_OF));
    }

    @Test
    void shouldAnswerFromTheLocalStandbyFlaggedStaleWhenTheActiveIsUnreachableAndTryItLastForAWhile() {
        replicas.owners.put("u1", owners(B, SELF));
        replicas.lags.put(InMemoryReplicas.PARTITION, 7L);
        replicas.putClicks(USER.engine(), "u1", 2, AS_OF - 60_000);
        peers.unreachable.add(B);

        final ServedResult.Local first = (ServedResult.Local) router.read(USER, List.of("u1"), ALL, AS_OF, false).get(0);
        final ServedResult.Local second = (ServedResult.Local) router.read(USER, List.of("u1"), ALL, AS_OF, false).get(0);

        assertThat(first.stale()).isTrue();
        assertThat(first.lagRecords()).isEqualTo(7);
        assertThat(first.vector().get(CLICKS_1H)).isEqualTo(2L);
        assertThat(second.stale()).isTrue();
        assertThat(peers.calls).as("the dead owner is asked once, then tried last").hasSize(1);
        assertThat(metric("stale-reads-total")).isEqualTo(2);
        assertThat(metric("forward-failures-total")).isEqualTo(1);
        assertThat(metric("local-reads-total")).isZero();
    }

    @Test
    void shouldForwardToARemoteStandbyWhenTheActiveIsUnreachable() {
        replicas.owners.put("u1", owners(B, C));
        peers.unreachable.add(B);

        final ServedResult result = router.read(USER, List.of("u1"), ALL, AS_OF, false).get(0);

        assertThat(((ServedResult.Relayed) result).json().path("served_by").asText()).isEqualTo("127.0.0.1:8003");
        assertThat(peers.calls).extracting(Call::host).containsExactly(B, C);
        assertThat(metric("forwards-total")).isEqualTo(2);
        assertThat(metric("forward-failures-total")).isEqualTo(1);
    }

    @Test
    void shouldAnswer503WithRetryAfterAtTheDeadlineWhenNoCopyIsWithinTheLagBound() {
        replicas.owners.put("u1", owners(B, SELF));
        replicas.lags.put(InMemoryReplicas.PARTITION, MAX_LAG + 1);
        replicas.putClicks(USER.engine(), "u1", 2, AS_OF - 60_000);
        peers.unreachable.add(B);

        final long start = System.nanoTime();
        assertThatThrownBy(() -> router.read(USER, List.of("u1"), ALL, AS_OF, false))
                .isInstanceOfSatisfying(FeatureQueryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                })
                .hasMessageContaining("within 300 ms")
                .hasMessageContaining("127.0.0.1:8002");
        final Duration took = Duration.ofNanos(System.nanoTime() - start);
        // Never a hang: the answer comes at the deadline, give or take scheduling.
        assertThat(took).isBetween(TIMEOUT, TIMEOUT.plusMillis(500));
        assertThat(metric("unavailable-total")).isEqualTo(1);
        assertThat(metric("retry-rounds-total")).isPositive();
    }

    @Test
    void shouldRetryALocalReadWithBackoffUntilTheStoreBecomesQueryable() throws Exception {
        replicas.owners.put("u1", owners(SELF));
        replicas.putClicks(USER.engine(), "u1", 1, AS_OF - 60_000);
        replicas.activeQueryable = false;
        final Thread restore = Thread.ofVirtual().start(() -> {
            sleep(120);
            replicas.activeQueryable = true;
        });

        final ServedResult.Local result = (ServedResult.Local) router.read(USER, List.of("u1"), ALL, AS_OF, false).get(0);
        restore.join();

        assertThat(result.stale()).isFalse();
        assertThat(replicas.locates.get()).as("asked again each round").isBetween(3, 8);
    }

    @Test
    void shouldRetryWhileTheOwnerIsUnknownAndAnswerOnceItIsKnown() {
        replicas.owners.put("u1", KeyQueryMetadata.NOT_AVAILABLE);
        replicas.putClicks(USER.engine(), "u1", 4, AS_OF - 60_000);
        Thread.ofVirtual().start(() -> {
            sleep(80);
            replicas.owners.put("u1", owners(SELF));
        });

        final ServedResult.Local result = (ServedResult.Local) router.read(USER, List.of("u1"), ALL, AS_OF, false).get(0);

        assertThat(result.vector().get(CLICKS_1H)).isEqualTo(4L);
    }

    @Test
    void shouldNotForwardAForwardedRequestAndRefuseAtOnceWhenItHoldsNoCopy() {
        replicas.owners.put("u1", owners(B, C));

        final long start = System.nanoTime();
        assertThatThrownBy(() -> router.read(USER, List.of("u1"), ALL, AS_OF, true))
                .isInstanceOfSatisfying(FeatureQueryException.class, e -> assertThat(e.httpStatus()).isEqualTo(503))
                .hasMessageContaining("forwarded requests are answered here or not at all");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
        assertThat(peers.calls).isEmpty();
    }

    @Test
    void shouldAnswerAForwardedRequestFromItsStandbyFlaggedStale() {
        replicas.owners.put("u1", owners(B, SELF));
        replicas.lags.put(InMemoryReplicas.PARTITION, 1L);
        replicas.putClicks(USER.engine(), "u1", 5, AS_OF - 60_000);

        final ServedResult.Local result = (ServedResult.Local) router.read(USER, List.of("u1"), ALL, AS_OF, true).get(0);

        assertThat(result.stale()).isTrue();
        assertThat(result.lagRecords()).isEqualTo(1);
        assertThat(peers.calls).isEmpty();
    }

    @Test
    void shouldSplitABatchByOwnerAndMergeTheAnswersInTheCallersOrder() {
        final List<String> ids = List.of("b1", "s1", "c1", "b2", "s2", "b1");
        replicas.owners.put("b1", owners(B));
        replicas.owners.put("b2", owners(B));
        replicas.owners.put("c1", owners(C));
        replicas.owners.put("s1", owners(SELF));
        replicas.owners.put("s2", owners(SELF));
        replicas.putClicks(USER.engine(), "s1", 1, AS_OF - 60_000);

        final List<ServedResult> results = router.read(USER, ids, ALL, AS_OF, false);

        assertThat(results).extracting(ServedResult::id).containsExactlyElementsOf(ids);
        assertThat(results.get(0)).isSameAs(results.get(5));
        assertThat(peers.calls).containsExactlyInAnyOrder(new Call(B, List.of("b1", "b2"), AS_OF),
                new Call(C, List.of("c1"), AS_OF));
        assertThat(((ServedResult.Local) results.get(1)).vector().found()).isTrue();
        assertThat(((ServedResult.Local) results.get(4)).vector().found()).isFalse();
    }

    @Test
    void shouldReadALargeLocalBatchOnSeveralThreadsAndAnswerInTheCallersOrder() {
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4 * FeatureRouter.MIN_LOCAL_READS_PER_THREAD; i++) {
            final String id = "u" + i;
            ids.add(id);
            replicas.owners.put(id, owners(SELF));
            replicas.putClicks(USER.engine(), id, 1 + i % 5, AS_OF - 60_000);
        }
        final Set<Thread> readers = ConcurrentHashMap.newKeySet();
        replicas.onRead = key -> readers.add(Thread.currentThread());

        final List<ServedResult> results = router.read(USER, ids, ALL, AS_OF, false);

        assertThat(results).extracting(ServedResult::id).containsExactlyElementsOf(ids);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(((ServedResult.Local) results.get(i)).vector().get(CLICKS_1H)).isEqualTo((long) (1 + i % 5));
        }
        assertThat(readers).as("one part per CPU, one of them on the calling thread")
                .hasSize(Math.min(4, Runtime.getRuntime().availableProcessors()))
                .contains(Thread.currentThread());
        assertThat(metric("local-reads-total")).isEqualTo(ids.size());
    }

    @Test
    void shouldMoveOnlyTheIdsOfAFailedOwnerToTheirStandbys() {
        replicas.owners.put("b1", owners(B, C));
        replicas.owners.put("c1", owners(C, B));
        peers.unreachable.add(B);

        final List<ServedResult> results = router.read(USER, List.of("b1", "c1"), ALL, AS_OF, false);

        assertThat(results).extracting(r -> ((ServedResult.Relayed) r).json().path("served_by").asText())
                .containsExactly("127.0.0.1:8003", "127.0.0.1:8003");
        assertThat(peers.calls).contains(new Call(C, List.of("c1"), AS_OF), new Call(C, List.of("b1"), AS_OF));
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Call(HostInfo host, List<String> ids, long asOf) {
    }

    private static final class FakePeers implements Peers {
        private static final ObjectMapper JSON = new ObjectMapper();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Set<HostInfo> unreachable = Collections.newSetFromMap(new ConcurrentHashMap<>());

        @Override
        public List<ServedResult.Relayed> read(final HostInfo host, final String entity, final List<String> ids,
                                               final FeatureSelection selection, final long asOf, final Duration timeout)
                throws PeerException {
            calls.add(new Call(host, List.copyOf(ids), asOf));
            if (unreachable.contains(host)) {
                throw new PeerException("connection refused", true);
            }
            final List<ServedResult.Relayed> results = new ArrayList<>();
            for (final String id : ids) {
                results.add(new ServedResult.Relayed(id, JSON.createObjectNode().put("id", id)
                        .put("served_by", host.host() + ":" + host.port())));
            }
            return results;
        }
    }
}
