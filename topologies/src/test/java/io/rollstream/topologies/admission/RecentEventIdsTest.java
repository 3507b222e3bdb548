package io.rollstream.topologies.admission;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RecentEventIdsTest {

    private static final long HORIZON = Duration.ofHours(24).toMillis();
    private static final long NOW = 1_793_491_203_000L;

    @Test
    void shouldNeverForgetAnIdWithinTheHorizon() {
        final RecentEventIds ids = new RecentEventIds(HORIZON, 1 << 20);
        final Random random = new Random(1);
        final List<String> added = new ArrayList<>();
        long time = NOW;
        for (int i = 0; i < 200_000; i++) {
            time += random.nextInt(300);
            final String id = "event-" + random.nextLong();
            ids.add(id, time);
            added.add(id);
        }
        // Capped at its 256k initial slots for 200k ids: crowded, so often "maybe", but never wrong about "seen".
        for (final String id : added) {
            assertThat(ids.mightContain(id, time)).as(id).isTrue();
        }
    }

    @Test
    void shouldAnswerNewForNearlyEveryOtherIdWhenGivenRoomToGrow() {
        final RecentEventIds ids = new RecentEventIds(HORIZON, 64L << 20);
        long time = NOW;
        for (int i = 0; i < 300_000; i++) {
            time += 100;
            ids.add("seen-" + i, time);
            final int wanted = ids.wantedSlots();
            if (wanted != ids.slots()) {
                // As the admission processor does: grow, then refill (here from what was added).
                ids.resize(wanted);
                for (int j = 0; j <= i; j++) {
                    ids.add("seen-" + j, NOW + 100L * (j + 1));
                }
            }
        }
        int maybes = 0;
        for (int i = 0; i < 100_000; i++) {
            if (ids.mightContain("new-" + i, time)) {
                maybes++;
            }
        }
        assertThat(ids.slots()).isGreaterThanOrEqualTo(8 * 300_000 / 2);
        assertThat(maybes).as("false positives among 100 000 new ids").isLessThan(5_000);
    }

    @Test
    void shouldLetIdsOlderThanTheHorizonCountAsNew() {
        final RecentEventIds ids = new RecentEventIds(HORIZON, 1 << 20);
        ids.add("old", NOW);
        assertThat(ids.mightContain("old", NOW + HORIZON)).isTrue();
        // Expiry goes by buckets of horizon/64: gone within a bucket or two past the horizon.
        assertThat(ids.mightContain("old", NOW + HORIZON + 3 * HORIZON / 64)).isFalse();
    }

    @Test
    void shouldAskToGrowOnlyWhileBelowItsMemoryCap() {
        final RecentEventIds capped = new RecentEventIds(HORIZON, RecentEventIds.MIN_SLOTS * 4L);
        for (int i = 0; i < 100_000; i++) {
            capped.add("id-" + i, NOW + i);
        }
        assertThat(capped.wantedSlots()).isEqualTo(capped.slots());

        final RecentEventIds roomy = new RecentEventIds(HORIZON, 64L << 20);
        for (int i = 0; i < RecentEventIds.MIN_SLOTS / 8 + 1; i++) {
            roomy.add("id-" + i, NOW + i);
        }
        assertThat(roomy.wantedSlots()).isEqualTo(4 * roomy.slots());
    }

    @Test
    void shouldStopCountingIdsThatLeftTheHorizonWhenDecidingToGrow() {
        final RecentEventIds ids = new RecentEventIds(HORIZON, 64L << 20);
        for (int i = 0; i < RecentEventIds.MIN_SLOTS / 8 - 100; i++) {
            ids.add("day-one-" + i, NOW);
        }
        // A day and a half later the first day's ids no longer count towards the filter's load.
        for (int i = 0; i < 1_000; i++) {
            ids.add("later-" + i, NOW + HORIZON * 3 / 2);
        }
        assertThat(ids.wantedSlots()).isEqualTo(ids.slots());
    }
}
