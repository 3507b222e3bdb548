package io.rollstream.engine;

import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.engine.testing.ShoppingEvents;
import io.rollstream.schemas.ClickEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The split storage of entity state (a head plus tiles stored alone): what is read back always
 * answers like the live state, and a commit writes only what changed.
 */
class EntityStateCodecTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    private final FeatureSet user = FeaturesFile.loadDefault().entities().stream()
            .filter(set -> set.entity().equals("user")).findFirst().orElseThrow();
    private final FeatureEngine engine = new FeatureEngine(user);

    @Test
    void shouldReadBackWhatWasWrittenAtEveryCommitOfAnActiveUser() {
        final Random random = new Random(7);
        final EntityState live = engine.newState();
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(user));
        long time = START.toEpochMilli();
        for (int commit = 0; commit < 300; commit++) {
            for (int i = 0; i < 20; i++) {
                time += random.nextInt(120_000);
                // A few minutes of disorder, and now and then an event hours late.
                final long late = random.nextInt(10) == 0 ? random.nextInt(6 * 3_600_000) : random.nextInt(180_000);
                engine.fold(live, event(random, time - late));
            }
            stored.write(live);
            if (commit % 25 == 0) {
                assertSameAnswers(stored.read(), live, time);
            }
        }
        assertSameAnswers(stored.read(), live, time);
        assertThat(stored.tilesStoredAlone()).as("sealed tiles with sketches live under their own keys").isPositive();
    }

    @Test
    void shouldGoOnFromStateReadBackAsFromTheLiveObject() {
        final Random random = new Random(11);
        final EntityState live = engine.newState();
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(user));
        long time = foldInOrder(live, random, 3_000, 60_000);
        stored.write(live);

        // The writer evicted the entity from its cache and loads it again, then both go on.
        final EntityState reloaded = stored.read(true);
        final StoredEntity storedFromReloaded = new StoredEntity(new EntityStateCodec(user)).copyOf(stored);
        for (int i = 0; i < 2_000; i++) {
            time += random.nextInt(60_000);
            final ClickEvent next = event(random, time - random.nextInt(3_600_000));
            engine.fold(live, next);
            engine.fold(reloaded, next);
            if (i % 100 == 0) {
                stored.write(live);
                storedFromReloaded.write(reloaded);
            }
        }
        stored.write(live);
        storedFromReloaded.write(reloaded);
        assertSameAnswers(storedFromReloaded.read(), live, time);
        assertSameAnswers(stored.read(), live, time);
    }

    @Test
    void shouldWriteOnlyTheHeadAndChangedTilesWhenOneMoreEventArrives() {
        final Random random = new Random(3);
        final EntityState live = engine.newState();
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(user));
        long time = foldInOrder(live, random, 20_000, 30_000);
        stored.write(live);
        final int fullBytes = stored.lastWriteBytes();

        engine.fold(live, event(random, time + 1_000));
        stored.write(live);

        assertThat(stored.lastWriteRecords()).as("an on-time event changes only the newest tiles: in the head")
                .isEqualTo(1);
        assertThat(stored.headBytes()).as("the head is a small part of a large entity")
                .isLessThan(fullBytes / 5);
        assertSameAnswers(stored.read(), live, time + 1_000);
    }

    @Test
    void shouldKeepASmallEntityInOneRecord() {
        final EntityState live = engine.newState();
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(user));
        final Random random = new Random(5);
        for (int i = 0; i < 5; i++) {
            engine.fold(live, event(random, START.toEpochMilli() + i * 3_600_000L));
            stored.write(live);
        }
        assertThat(stored.tilesStoredAlone()).isZero();
        assertThat(stored.lastWriteRecords()).isEqualTo(1);
        assertSameAnswers(stored.read(), live, START.toEpochMilli() + 5 * 3_600_000L);
    }

    @Test
    void shouldKeepASmallEntitysTilesInItsHeadAndMoveLargeSealedOnesOutPastTheBudget() {
        final int budget = 2_048;
        final Random random = new Random(17);
        final EntityState live = engine.newState();
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(user, 64, budget));
        // The same events, stored as they would be without a budget.
        final EntityState twin = engine.newState();
        final StoredEntity storedWithoutBudget = new StoredEntity(new EntityStateCodec(user, 64, 0));
        long time = START.toEpochMilli();
        int largestSingleRecord = 0;
        while (true) {
            time += random.nextInt(600_000);
            final ClickEvent next = event(random, time);
            engine.fold(live, next);
            engine.fold(twin, next);
            stored.write(live);
            storedWithoutBudget.write(twin);
            if (stored.tilesStoredAlone() > 0) {
                break;
            }
            assertThat(stored.lastWriteRecords()).as("one head, nothing else, while under budget").isEqualTo(1);
            largestSingleRecord = Math.max(largestSingleRecord, stored.headBytes());
        }
        assertThat(largestSingleRecord).as("the head filled most of its budget before a tile moved out")
                .isGreaterThan(budget * 3 / 4);
        assertThat(storedWithoutBudget.tilesStoredAlone()).as("without a budget tiles moved out long before")
                .isGreaterThan(stored.tilesStoredAlone() / 2);
        for (int i = 0; i < 2_000; i++) {
            time += random.nextInt(600_000);
            final ClickEvent next = event(random, time - random.nextInt(3_600_000));
            engine.fold(live, next);
            engine.fold(twin, next);
            if (i % 10 == 0) {
                stored.write(live);
                storedWithoutBudget.write(twin);
            }
        }
        stored.write(live);
        storedWithoutBudget.write(twin);

        assertThat(stored.tilesStoredAlone()).as("past the budget, stored as without one")
                .isGreaterThan(5).isEqualTo(storedWithoutBudget.tilesStoredAlone());
        assertThat(stored.headBytes()).isEqualTo(storedWithoutBudget.headBytes());
        assertSameAnswers(stored.read(), live, time);
    }

    @Test
    void shouldDeleteTilesStoredAloneOnceNoWindowReachesThem() {
        final Random random = new Random(9);
        final EntityState live = engine.newState();
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(user));
        long time = foldInOrder(live, random, 5_000, 60_000);
        stored.write(live);
        assertThat(stored.tilesStoredAlone()).isPositive();

        // Sixty days later every window has moved past those tiles; StoredEntity fails on deleting unknown tiles.
        final long later = time + Duration.ofDays(60).toMillis();
        engine.fold(live, event(random, later));
        stored.write(live);

        assertThat(stored.tilesStoredAlone()).isZero();
        assertSameAnswers(stored.read(), live, later);
    }

    @Test
    void shouldStoreEverySealedTileAloneWhenAskedTo() {
        final Random random = new Random(13);
        final EntityState live = engine.newState();
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(user, 0, 0));
        long time = START.toEpochMilli();
        for (int i = 0; i < 500; i++) {
            time += random.nextInt(600_000);
            engine.fold(live, event(random, time - random.nextInt(7_200_000)));
            if (i % 7 == 0) {
                stored.write(live);
            }
        }
        stored.write(live);
        assertSameAnswers(stored.read(), live, time);
    }

    @Test
    void shouldReadEveryPrefixOfACommitsRecordsWithoutCountingAnyEventTwice() {
        // A standby applies a commit's records a batch at a time; a query can land between any two.
        final Random random = new Random(23);
        final EntityState live = engine.newState();
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(user, 0, 0));
        long time = START.toEpochMilli();
        int prefixes = 0;
        for (int commit = 0; commit < 120; commit++) {
            for (int i = 0; i < 15; i++) {
                time += random.nextInt(300_000);
                final long late = random.nextInt(5) == 0 ? random.nextInt(4 * 3_600_000) : 0;
                engine.fold(live, event(random, time - late));
            }
            final StoredEntity before = new StoredEntity(new EntityStateCodec(user, 0, 0)).copyOf(stored);
            final boolean empty = commit == 0;
            stored.write(live);
            final List<StoredEntity.Op> ops = stored.lastWrite();
            final FeatureVector after = engine.read(stored.read(), time);
            final FeatureVector old = empty ? engine.read(engine.newState(), time) : engine.read(before.read(), time);
            for (int k = empty ? ops.size() : 0; k <= ops.size(); k++) {
                final FeatureVector seen = engine.read(before.withApplied(ops, k).read(), time);
                prefixes++;
                for (final String count : COUNTS) {
                    assertThat((Long) seen.get(count)).as("%s after %d of %d records", count, k, ops.size())
                            .isBetween((Long) old.get(count), (Long) after.get(count));
                }
            }
        }
        assertThat(prefixes).isGreaterThan(500);
    }

    private static final List<String> COUNTS = List.of("views_5m", "views_1h", "views_24h", "views_7d", "views_30d",
            "clicks_24h", "clicks_30d", "purchases_7d", "searches_24h");

    @Test
    void shouldRefuseAnEntityMissingATileStoredAlone() {
        final Random random = new Random(17);
        final EntityState live = engine.newState();
        final StoredEntity stored = new StoredEntity(new EntityStateCodec(user));
        long time = foldInOrder(live, random, 5_000, 60_000);
        stored.write(live);
        stored.loseOneTile();

        assertThatThrownBy(stored::read).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("storage does not hold").hasMessageContaining("rebuild");
    }

    @Test
    void shouldMoveTheOldestSmallSealedTilesOutOnceTheyWouldOutgrowTheHeadsShare() {
        // Five-second tiles of a count: hundreds of tiles of a few bytes, none large enough to move out by size.
        final FeatureSet counts = FeaturesFile.parse("""
                features:
                  - name: views
                    aggregation: count
                    windows: [5m]
                """, "counts.yaml").entities().getFirst();
        final Duration ahead = Duration.ofHours(1);
        final FeatureEngine countEngine = new FeatureEngine(counts, ahead);
        final int share = 200;
        final EntityStateCodec capped = new EntityStateCodec(counts, 128, 16, share);
        final StoredEntity stored = new StoredEntity(capped);
        final StoredEntity uncapped = new StoredEntity(new EntityStateCodec(counts, 128, 16));
        final EntityState live = countEngine.newState();
        // The same events, for the other codec: a state remembers how its codec stored it.
        final EntityState twin = countEngine.newState();
        final Random random = new Random(29);
        long time = START.toEpochMilli();
        for (int i = 0; i < 3_000; i++) {
            time += random.nextInt(3_000);
            final ClickEvent next = event(random, time - random.nextInt(3_600_000));
            countEngine.fold(live, next);
            countEngine.fold(twin, next);
            if (i % 20 == 0) {
                stored.write(live);
                uncapped.write(twin);
                assertThat(stored.headBytes()).isLessThanOrEqualTo(share + 2_000)
                        .isLessThanOrEqualTo((int) capped.maxRecordBytes(ahead));
            }
        }
        stored.write(live);
        uncapped.write(twin);
        assertThat(uncapped.tilesStoredAlone()).as("small tiles stay in the head under the default share").isZero();
        assertThat(uncapped.headBytes()).isGreaterThan(share * 4);
        assertThat(stored.tilesStoredAlone()).as("past the share, the oldest small tiles moved out").isPositive();
        final FeatureVector expected = countEngine.read(live, time);
        assertThat(countEngine.read(stored.read(), time).values()).isEqualTo(expected.values());
        assertThat(countEngine.read(uncapped.read(), time).values()).isEqualTo(expected.values());
    }

    @Test
    void shouldBoundTheRecordsOfTheDefaultEntitiesByTheirTilesAndHeadRules() {
        final EntityStateCodec codec = new EntityStateCodec(user);
        final long tenMinutes = codec.maxRecordBytes(Duration.ofMinutes(10));
        assertThat(codec.maxRecordBytes(Duration.ZERO)).isLessThan(tenMinutes);
        assertThat(codec.maxRecordBytes(Duration.ofHours(1))).isGreaterThan(tenMinutes);
        long newestTiles = 0;
        for (int l = 0; l < user.layouts().size(); l++) {
            newestTiles += codec.maxTileBytes(l);
        }
        assertThat(tenMinutes).as("the newest tiles and the small sealed ones, with a few bytes per tile on top")
                .isGreaterThan(newestTiles + EntityStateCodec.DEFAULT_MAX_INLINE_SEALED_BYTES)
                .isLessThan(newestTiles + EntityStateCodec.DEFAULT_MAX_INLINE_SEALED_BYTES + 10_000);
        // With a head budget larger than all that, the budget is the bound.
        assertThat(new EntityStateCodec(user, 128, 1 << 20).maxRecordBytes(Duration.ZERO)).isGreaterThan(1 << 20);
    }

    @Test
    void shouldReadTheNewestEventTimeFromAHeadWithoutDecodingIt() {
        final Random random = new Random(3);
        final EntityState live = engine.newState();
        final long newest = START.toEpochMilli() + 86_400_000L;
        engine.fold(live, event(random, newest));
        engine.fold(live, event(random, newest - 3_600_000L));
        final byte[][] head = new byte[1][];
        new EntityStateCodec(user).writeChanges(live, new EntityStateCodec.Records() {
            @Override
            public void tile(final int layout, final long tileStart, final byte[] image) {
            }

            @Override
            public void head(final byte[] bytes) {
                head[0] = bytes;
            }

            @Override
            public void tileDeleted(final int layout, final long tileStart) {
            }
        });
        assertThat(EntityStateCodec.newestEventTime(head[0])).as("the newest, not the last folded").isEqualTo(newest);
        assertThatThrownBy(() -> EntityStateCodec.newestEventTime(new byte[6]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("rebuild");
    }

    /** Folds events a random step apart (up to {@code maxStepMs}) from START on; returns the last event time. */
    private long foldInOrder(final EntityState live, final Random random, final int events, final int maxStepMs) {
        long time = START.toEpochMilli();
        for (int i = 0; i < events; i++) {
            time += random.nextInt(maxStepMs);
            engine.fold(live, event(random, time));
        }
        return time;
    }

    /**
     * Every feature equal, but the percentile within its rank error: KLL merges with an unseeded
     * coin, so two reads of the same tiles may pick neighbouring values (see ApproxPercentileAggregation).
     */
    private void assertSameAnswers(final EntityState read, final EntityState live, final long newest) {
        for (final long asOf : new long[]{newest, newest - 3_600_000L, newest + 600_000L, newest + 86_400_000L}) {
            final FeatureVector expected = engine.read(live, asOf);
            final FeatureVector actual = engine.read(read, asOf);
            assertThat(actual.newestEventTime()).isEqualTo(expected.newestEventTime());
            for (final Map.Entry<String, Object> feature : expected.values().entrySet()) {
                final Object value = actual.values().get(feature.getKey());
                if (feature.getKey().startsWith("p90_") && feature.getValue() != null) {
                    assertThat((Double) value).as("%s at %s", feature.getKey(), Instant.ofEpochMilli(asOf))
                            .isCloseTo((Double) feature.getValue(), withinPercentage(5));
                } else {
                    assertThat(value).as("%s at %s", feature.getKey(), Instant.ofEpochMilli(asOf))
                            .isEqualTo(feature.getValue());
                }
            }
        }
    }

    private static ClickEvent event(final Random random, final long time) {
        return ShoppingEvents.random(random, "u1", time, 500, 20);
    }
}
