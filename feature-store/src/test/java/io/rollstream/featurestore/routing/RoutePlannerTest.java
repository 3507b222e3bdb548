package io.rollstream.featurestore.routing;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

import static io.rollstream.featurestore.routing.Route.Kind.LOCAL_ACTIVE;
import static io.rollstream.featurestore.routing.Route.Kind.LOCAL_STANDBY;
import static io.rollstream.featurestore.routing.Route.Kind.REMOTE_ACTIVE;
import static io.rollstream.featurestore.routing.Route.Kind.REMOTE_STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

class RoutePlannerTest {

    private static final HostInfo SELF = new HostInfo("127.0.0.1", 8001);
    private static final HostInfo B = new HostInfo("127.0.0.1", 8002);
    private static final HostInfo C = new HostInfo("127.0.0.1", 8003);
    private static final long MAX_LAG = 100;
    private static final Predicate<HostInfo> NONE_SUSPECT = host -> false;

    private final RoutePlanner planner = new RoutePlanner(SELF, MAX_LAG);

    private static KeyQueryMetadata owners(final HostInfo active, final HostInfo... standbys) {
        return new KeyQueryMetadata(active, Set.of(standbys), 2);
    }

    @Test
    void shouldReadLocallyWhenThisInstanceIsTheActiveOwnerThenFallBackToOtherStandbys() {
        assertThat(planner.plan(owners(SELF, B), OptionalLong.of(0), false, NONE_SUSPECT)).containsExactly(
                new Route(LOCAL_ACTIVE, SELF), new Route(LOCAL_STANDBY, SELF), new Route(REMOTE_STANDBY, B));
    }

    @Test
    void shouldForwardToTheActiveOwnerFirstThenPreferTheLocalStandbyOverRemoteOnes() {
        assertThat(planner.plan(owners(B, SELF, C), OptionalLong.of(5), false, NONE_SUSPECT)).containsExactly(
                new Route(REMOTE_ACTIVE, B), new Route(LOCAL_STANDBY, SELF), new Route(REMOTE_STANDBY, C));
    }

    @Test
    void shouldNotReadALocalCopyThatIsBeyondTheLagBoundOrHasNotRestoredAnything() {
        assertThat(planner.plan(owners(B, SELF), OptionalLong.of(MAX_LAG + 1), false, NONE_SUSPECT))
                .containsExactly(new Route(REMOTE_ACTIVE, B));
        assertThat(planner.plan(owners(B, SELF), OptionalLong.empty(), false, NONE_SUSPECT))
                .containsExactly(new Route(REMOTE_ACTIVE, B));
        assertThat(planner.plan(owners(B, SELF), OptionalLong.of(MAX_LAG), false, NONE_SUSPECT))
                .containsExactly(new Route(REMOTE_ACTIVE, B), new Route(LOCAL_STANDBY, SELF));
    }

    @Test
    void shouldReadARestoringLocalActiveAsAStaleCopyWithinTheBound() {
        assertThat(planner.plan(owners(SELF), OptionalLong.of(40), false, NONE_SUSPECT))
                .containsExactly(new Route(LOCAL_ACTIVE, SELF), new Route(LOCAL_STANDBY, SELF));
    }

    @Test
    void shouldNeverForwardARequestThatWasForwarded() {
        assertThat(planner.plan(owners(B, C), OptionalLong.empty(), true, NONE_SUSPECT)).isEmpty();
        assertThat(planner.plan(owners(B, SELF, C), OptionalLong.of(3), true, NONE_SUSPECT))
                .containsExactly(new Route(LOCAL_STANDBY, SELF));
        assertThat(planner.plan(owners(SELF, B), OptionalLong.of(0), true, NONE_SUSPECT))
                .containsExactly(new Route(LOCAL_ACTIVE, SELF), new Route(LOCAL_STANDBY, SELF));
    }

    @Test
    void shouldPlanNothingWhileTheOwnerIsUnknownSoTheCallerRetries() {
        assertThat(planner.plan(KeyQueryMetadata.NOT_AVAILABLE, OptionalLong.of(0), false, NONE_SUSPECT)).isEmpty();
        assertThat(planner.plan(null, OptionalLong.of(0), false, NONE_SUSPECT)).isEmpty();
    }

    @Test
    void shouldTryAHostThatJustFailedLastInsteadOfFirst() {
        final List<Route> plan = planner.plan(owners(B, SELF, C), OptionalLong.of(1), false, B::equals);
        assertThat(plan).containsExactly(new Route(LOCAL_STANDBY, SELF), new Route(REMOTE_STANDBY, C),
                new Route(REMOTE_ACTIVE, B));
    }

    @Test
    void shouldOrderRemoteStandbysTheSameWayEveryTime() {
        final HostInfo d = new HostInfo("127.0.0.1", 8000);
        assertThat(planner.plan(owners(B, C, d), OptionalLong.empty(), false, NONE_SUSPECT)).containsExactly(
                new Route(REMOTE_ACTIVE, B), new Route(REMOTE_STANDBY, d), new Route(REMOTE_STANDBY, C));
    }
}
