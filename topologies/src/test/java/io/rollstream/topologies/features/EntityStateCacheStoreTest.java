package io.rollstream.topologies.features;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.FeatureVector;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.engine.testing.ShoppingEvents;
import io.rollstream.schemas.ClickEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entity store over real store layers (in memory instead of RocksDB): the stream thread works
 * on cached objects, evicts them and loads them back, and another thread — interactive queries —
 * reads from the records what the last flush wrote.
 */
class EntityStateCacheStoreTest {

    private static final long START = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    private final FeatureSet user = FeaturesFile.loadDefault().entities().stream()
            .filter(set -> set.entity().equals("user")).findFirst().orElseThrow();
    private final FeatureEngine engine = new FeatureEngine(user);
    private final KeyValueStore<Bytes, byte[]> records = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore("features-user"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled().build();
    private final ExecutorService queries = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        queries.shutdownNow();
    }

    private EntityStateCacheStore open(final int cachedEntities) {
        final EntityStateCacheStore store = new EntityStateCacheStore(records, user, cachedEntities);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    @Test
    void shouldAnswerQueriesFromTheLastFlushWhileEntitiesComeAndGoFromTheCache() throws Exception {
        final EntityStateCacheStore store = open(2);
        final Map<String, EntityState> reference = new HashMap<>();
        final Random random = new Random(21);
        long time = START;
        for (int flush = 0; flush < 60; flush++) {
            for (int i = 0; i < 200; i++) {
                // One hot user, four others: the cache of two keeps evicting and reloading them.
                final String key = random.nextInt(3) == 0 ? "user-" + random.nextInt(5) : "user-hot";
                time += random.nextInt(40_000);
                final ClickEvent event = event(random, key, time - random.nextInt(600_000));
                process(store, key, event);
                engine.fold(reference.computeIfAbsent(key, k -> engine.newState()), event);
            }
            store.flushCache();
            for (final Map.Entry<String, EntityState> entity : reference.entrySet()) {
                final EntityState queried = onQueryThread(() -> store.get(entity.getKey()));
                assertSameAnswers(queried, entity.getValue(), time);
            }
        }
        assertThat(tileRecords()).as("the hot user's sealed sketch tiles are stored under keys of their own")
                .isPositive();

        final List<String> listed = new ArrayList<>();
        onQueryThread(() -> {
            try (KeyValueIterator<String, EntityState> all = store.all()) {
                all.forEachRemaining(entry -> listed.add(entry.key));
            }
            return null;
        });
        assertThat(listed).containsExactlyInAnyOrderElementsOf(reference.keySet());
        assertThat(onQueryThread(() -> store.get("never-seen"))).isNull();
    }

    @Test
    void shouldKeepAnEntityReadBetweenNewcomersAndEvictOnesNotReadSince() {
        final EntityStateCacheStore store = open(3);
        final Random random = new Random(5);
        process(store, "hot", event(random, "hot", START));
        final EntityState hot = store.get("hot");
        process(store, "cold-0", event(random, "cold-0", START));
        final EntityState firstCold = store.get("cold-0");
        for (int i = 1; i < 50; i++) {
            process(store, "cold-" + i, event(random, "cold-" + i, START + i));
            assertThat(store.get("hot")).as("read between newcomers: kept, never reloaded").isSameAs(hot);
        }
        final EntityState reloaded = store.get("cold-0");
        assertThat(reloaded).as("not read since: evicted (written then) and loaded again").isNotSameAs(firstCold);
        assertSameAnswers(reloaded, firstCold, START + 60_000);
    }

    @Test
    void shouldLeaveQueriesTheLastFlushedStateUntilTheNextFlush() throws Exception {
        final EntityStateCacheStore store = open(10);
        final Random random = new Random(1);
        final EntityState state = engine.newState();
        engine.fold(state, event(random, "u", START));
        store.put("u", state);
        assertThat(onQueryThread(() -> store.get("u"))).as("not flushed yet").isNull();
        store.flushCache();
        engine.fold(state, event(random, "u", START + 1_000));
        store.put("u", state);

        assertThat(onQueryThread(() -> store.get("u")).newestEventTime()).isEqualTo(START);
        store.flushCache();
        assertThat(onQueryThread(() -> store.get("u")).newestEventTime()).isEqualTo(START + 1_000);
    }

    @Test
    void shouldTellItsListenerOfEveryKeyOnlyAfterItsRecordsAreWrittenAndOfEveryReset() throws Exception {
        final List<String> told = new ArrayList<>();
        final EntityStateCacheStore store = new EntityStateCacheStore(records, user, 1, new EntityWriteListener() {
            @Override
            public void written(final String key) {
                // What a reader would see at this moment: the records are already there.
                told.add(key + "@" + (records.get(EntityStoreKeys.head(key)) == null ? "absent" : "stored"));
            }

            @Override
            public void reset() {
                told.add("reset");
            }
        });
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        final Random random = new Random(3);
        process(store, "a", event(random, "a", START));
        process(store, "b", event(random, "b", START));
        assertThat(told).as("a left the cache of one: written then").containsExactly("reset", "a@stored");
        store.flushCache();
        assertThat(told).containsExactly("reset", "a@stored", "b@stored");
        store.delete("a");
        store.clearCache();
        store.close();

        assertThat(told).containsExactly("reset", "a@stored", "b@stored", "a@absent", "reset", "reset");
    }

    @Test
    void shouldReplaceEveryRecordWhenGivenAStateItDidNotHandOut() throws Exception {
        final EntityStateCacheStore store = open(10);
        final Random random = new Random(2);
        final EntityState big = engine.newState();
        final long time = foldMinuteApart(big, random, "u", 5_000);
        store.put("u", big);
        store.flushCache();
        assertThat(tileRecords()).isPositive();

        final EntityState fresh = engine.newState();
        engine.fold(fresh, event(random, "u", time));
        store.put("u", fresh);
        store.flushCache();

        assertThat(tileRecords()).isZero();
        assertSameAnswers(onQueryThread(() -> store.get("u")), fresh, time);

        store.delete("u");
        assertThat(onQueryThread(() -> store.get("u"))).isNull();
        assertThat(records.approximateNumEntries()).isZero();
    }

    @Test
    void shouldForgetItsObjectsWhenKafkaStreamsClearsCachesAroundAStandbyPeriod() throws Exception {
        // Active here, then a standby while another instance (a second store over the same records,
        // as the changelog would restore them) goes on, then active here again: same store objects.
        final EntityStateCacheStore here = open(100);
        final Random random = new Random(4);
        final EntityState reference = engine.newState();
        long time = foldThrough(here, reference, random, START, 3_000);
        here.flushCache();
        here.clearCache();

        final EntityStateCacheStore elsewhere = new EntityStateCacheStore(records, user, 100);
        time = foldThrough(elsewhere, reference, random, time, 3_000);
        elsewhere.flushCache();

        here.clearCache();
        time = foldThrough(here, reference, random, time, 5);
        here.flushCache();

        assertSameAnswers(onQueryThread(() -> here.get("u")), reference, time);
    }

    @Test
    void shouldJudgeACachedEntityByItsUnwrittenStateNotByItsRecords() throws Exception {
        final EntityStateCacheStore store = open(10);
        final Random random = new Random(8);
        process(store, "fresh-again", event(random, "fresh-again", START));
        process(store, "idle", event(random, "idle", START));
        store.flushCache();
        process(store, "fresh-again", event(random, "fresh-again", START + 3_600_000));
        final long cutoff = START + 1_800_000;

        final EntityRecordStore.IdleScan scan = store.scanIdle(null, 100, cutoff);
        assertThat(scan.idle()).as("both idle by their records").containsExactlyInAnyOrder("fresh-again", "idle");
        assertThat(store.deleteIdle(scan.idle(), cutoff)).as("its cached, unwritten event is newer")
                .containsExactly("idle");
        store.flushCache();

        assertThat(onQueryThread(() -> store.get("idle"))).isNull();
        assertThat(onQueryThread(() -> store.get("fresh-again").newestEventTime())).isEqualTo(START + 3_600_000);
        assertThat(store.get("idle")).as("not in the cache either").isNull();
    }

    @Test
    void shouldNotWriteBackAChangedEntityDeletedBeforeTheFlush() throws Exception {
        final EntityStateCacheStore store = open(10);
        final Random random = new Random(9);
        process(store, "u", event(random, "u", START));
        store.flushCache();
        process(store, "u", event(random, "u", START + 1_000));

        assertThat(store.deleteIdle(List.of("u"), START + 2_000)).as("idle even by its unwritten state")
                .containsExactly("u");
        store.flushCache();

        assertThat(onQueryThread(() -> store.get("u"))).as("the dirty list did not bring it back").isNull();
        assertThat(records.approximateNumEntries()).isZero();
    }

    @Test
    void shouldScanABoundedStretchOfRecordsAndResumeWhereItStopped() {
        final EntityStateCacheStore store = open(1);
        final Random random = new Random(10);
        final EntityState big = engine.newState();
        final long time = foldMinuteApart(big, random, "a-big", 5_000);
        store.put("a-big", big);
        for (int i = 0; i < 25; i++) {
            process(store, "user-" + (10 + i), event(random, "user-" + (10 + i), START));
        }
        store.flushCache();
        final long tiles = tileRecords();
        assertThat(tiles).as("the big entity's head is followed by tiles of its own").isPositive();

        final List<String> idle = new ArrayList<>();
        Bytes from = null;
        int stretches = 0;
        do {
            final EntityRecordStore.IdleScan scan = store.scanIdle(from, 10, time + 1);
            idle.addAll(scan.idle());
            from = scan.next();
            stretches++;
        } while (from != null);

        assertThat(stretches).as("10 records a stretch").isEqualTo((int) ((26 + tiles + 9) / 10));
        assertThat(idle).as("every head once, tiles passed over").hasSize(26).doesNotHaveDuplicates()
                .contains("a-big", "user-10", "user-34");
        assertThat(store.scanIdle(null, 1_000, START).idle()).as("none older than the cutoff").isEmpty();
    }

    /** What the entity processor does with an event: load or create, fold, put back. */
    private void process(final EntityStateCacheStore store, final String key, final ClickEvent event) {
        EntityState state = store.get(key);
        if (state == null) {
            state = engine.newState();
        }
        engine.fold(state, event);
        store.put(key, state);
    }

    /** Folds {@code events} events of {@code user} from START on, up to a minute apart, into {@code state}; returns the last time. */
    private long foldMinuteApart(final EntityState state, final Random random, final String user, final int events) {
        long time = START;
        for (int i = 0; i < events; i++) {
            time += random.nextInt(60_000);
            engine.fold(state, event(random, user, time));
        }
        return time;
    }

    /** Folds {@code events} events of user "u" through the store, as the processor does, and into the reference. */
    private long foldThrough(final EntityStateCacheStore store, final EntityState reference, final Random random,
                             final long from, final int events) {
        long time = from;
        for (int i = 0; i < events; i++) {
            time += random.nextInt(60_000);
            final ClickEvent event = event(random, "u", time);
            process(store, "u", event);
            engine.fold(reference, event);
        }
        return time;
    }

    private long tileRecords() {
        long tiles = 0;
        try (KeyValueIterator<Bytes, byte[]> all = records.all()) {
            while (all.hasNext()) {
                final KeyValue<Bytes, byte[]> record = all.next();
                if (!EntityStoreKeys.parse(record.key.get()).isHead()) {
                    tiles++;
                }
            }
        }
        return tiles;
    }

    private <T> T onQueryThread(final Callable<T> query) throws Exception {
        return queries.submit(query).get();
    }

    private void assertSameAnswers(final EntityState read, final EntityState live, final long asOf) {
        final FeatureVector expected = engine.read(live, asOf);
        final FeatureVector actual = engine.read(read, asOf);
        assertThat(actual.newestEventTime()).isEqualTo(expected.newestEventTime());
        for (final Map.Entry<String, Object> feature : expected.values().entrySet()) {
            // KLL merges with an unseeded coin: two reads of the same tiles may pick neighbouring values.
            if (!feature.getKey().startsWith("p90_")) {
                assertThat(actual.values().get(feature.getKey())).as(feature.getKey()).isEqualTo(feature.getValue());
            }
        }
    }

    private static ClickEvent event(final Random random, final String user, final long time) {
        return ShoppingEvents.random(random, user, time, 500, 20);
    }
}
