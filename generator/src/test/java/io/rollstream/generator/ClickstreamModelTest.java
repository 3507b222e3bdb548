package io.rollstream.generator;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ClickstreamModelTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void shouldGenerateTheSameEventsForTheSameSeed() {
        assertThat(generate(42, 500)).isEqualTo(generate(42, 500));
        assertThat(generate(42, 500)).isNotEqualTo(generate(43, 500));
    }

    @Test
    void shouldConcentrateTrafficOnTheMostPopularUsersLikeZipf() {
        final Map<String, Integer> perUser = new HashMap<>();
        for (final ClickEvent event : generate(7, 20_000)) {
            perUser.merge(event.getUserId(), 1, Integer::sum);
        }
        final int top = perUser.getOrDefault(ClickstreamModel.userId(1), 0);
        final int tenth = perUser.getOrDefault(ClickstreamModel.userId(10), 0);
        assertThat(top).isGreaterThan(tenth * 5);
    }

    @Test
    void shouldWalkTheFunnelWithFewerPurchasesThanCartsThanViews() {
        final Map<EventType, Integer> perType = new EnumMap<>(EventType.class);
        for (final ClickEvent event : generate(11, 50_000)) {
            perType.merge(event.getEventType(), 1, Integer::sum);
            if (event.getEventType() == EventType.PURCHASE) {
                assertThat(event.getItemId()).isNotNull();
                assertThat(event.getPrice()).isPositive();
            }
        }
        assertThat(perType.get(EventType.PRODUCT_VIEW)).isGreaterThan(perType.get(EventType.ADD_TO_CART));
        assertThat(perType.get(EventType.ADD_TO_CART)).isGreaterThan(perType.get(EventType.PURCHASE));
        assertThat(perType.get(EventType.PURCHASE)).isPositive();
        assertThat(perType).doesNotContainKey(EventType.UNKNOWN);
    }

    @Test
    void shouldSampleEveryRankOfASmallZipfDistribution() {
        final ZipfSampler sampler = new ZipfSampler(3, 1.0);
        final SplittableRandom random = new SplittableRandom(1);
        final int[] seen = new int[4];
        for (int i = 0; i < 10_000; i++) {
            seen[sampler.sample(random)]++;
        }
        assertThat(seen[0]).isZero();
        assertThat(seen[1]).isGreaterThan(seen[2]).isGreaterThan(0);
        assertThat(seen[2]).isGreaterThan(seen[3]).isGreaterThan(0);
    }

    private static List<ClickEvent> generate(final long seed, final int count) {
        final ClickstreamModel model = new ClickstreamModel(seed, 1000, 500);
        final List<ClickEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(model.next(T0.plusMillis(i * 100L)));
        }
        return events;
    }
}
