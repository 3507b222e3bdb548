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
    void shouldGrowByItselfAndStillAnswerNewForNearlyEveryOtherId() {
        final RecentEventIds ids = new RecentEventIds(HORIZON, 64L << 20);
        long time = NOW;
        for (int i = 0; i < 300_000; i++) {
            time += 100;
            ids.add("seen-" + i, time);
        }
        for (int i = 0; i < 300_000; i += 7) {
            assertThat(ids.mightContain("seen-" + i, time)).as("seen-%d, added before or after a growth", i).isTrue();
        }
        int maybes = 0;
        for (int i = 0; i < 100_000; i++) {
            if (ids.mightContain("new-" + i, time)) {
                maybes++;
            }
        }
        assertThat(ids.slots()).isGreaterThanOrEqualTo(RecentEventIds.SLOTS_PER_ID * 300_000 / 2);
        // Every generation still asked adds its own: about 0.25% each at the most crowded.
        assertThat(maybes).as("false positives among 100 000 new ids, %s", ids).isLessThan(1_000);
    }

    @Test
    void shouldDropTheGenerationItGrewFromOnceItHoldsNothingWithinTheHorizon() {
        final RecentEventIds ids = new RecentEventIds(HORIZON, 64L << 20);
        for (int i = 0; i <= RecentEventIds.MIN_SLOTS / 8; i++) {
            ids.add("first-" + i, NOW);
        }
        assertThat(ids.totalSlots()).isEqualTo(5L * RecentEventIds.MIN_SLOTS);
        ids.add("day-two", NOW + HORIZON / 2);
        assertThat(ids.mightContain("first-1", NOW + HORIZON / 2)).isTrue();

        ids.add("day-three", NOW + HORIZON + HORIZON / 8);
        assertThat(ids.totalSlots()).isEqualTo(4L * RecentEventIds.MIN_SLOTS);
        assertThat(ids.mightContain("day-two", NOW + HORIZON + HORIZON / 8)).isTrue();
    }

    @Test
    void shouldRememberAnIdToTheLastMillisecondOfAnyHorizon() {
        // Horizons that are not a multiple of 64 buckets once missed ids near their far end.
        for (final long horizon : new long[]{100, 999, 1_000, 3_000, 59_999, 86_400_000}) {
            for (long offset = 0; offset < 200; offset++) {
                final RecentEventIds ids = new RecentEventIds(horizon, 1 << 20);
                final long arrival = NOW + offset * 7;
                ids.add("e", arrival);
                assertThat(ids.mightContain("e", arrival + horizon))
                        .as("horizon %d ms, arrival offset %d", horizon, offset).isTrue();
            }
        }
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
    void shouldStopGrowingAtItsMemoryCap() {
        final RecentEventIds capped = new RecentEventIds(HORIZON, RecentEventIds.MIN_SLOTS * 4L * 4);
        for (int i = 0; i < 1_000_000; i++) {
            capped.add("id-" + i, NOW + i);
        }
        assertThat(capped.slots()).isEqualTo(4 * RecentEventIds.MIN_SLOTS);
    }

    @Test
    void shouldStopCountingIdsThatLeftTheHorizonWhenDecidingToGrow() {
        final RecentEventIds ids = new RecentEventIds(HORIZON, 64L << 20);
        for (int i = 0; i < RecentEventIds.MIN_SLOTS / RecentEventIds.SLOTS_PER_ID - 100; i++) {
            ids.add("day-one-" + i, NOW);
        }
        // A day and a half later the first day's ids no longer count towards the filter's load.
        for (int i = 0; i < 1_000; i++) {
            ids.add("later-" + i, NOW + HORIZON * 3 / 2);
        }
        assertThat(ids.slots()).isEqualTo(RecentEventIds.MIN_SLOTS);
    }
}
