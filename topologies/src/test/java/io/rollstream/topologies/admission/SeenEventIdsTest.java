package io.rollstream.topologies.admission;

import io.rollstream.topologies.admission.EventIdBatch.Admitted;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dedupe memory over real store layers (in memory instead of RocksDB): one log record per
 * flush, exact answers from memory and index, and an index that is rebuilt or caught up from the
 * log whenever it holds less — after a wipe, a standby period, a move.
 */
class SeenEventIdsTest {

    private static final long T0 = Instant.parse("2026-11-01T12:00:00Z").toEpochMilli();
    private static final Duration HORIZON = Duration.ofMinutes(10);

    private final StateStoreContext context = new MockProcessorContext<>().getStateStoreContext();
    private final KeyValueStore<Bytes, byte[]> log = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore("dedupe-event-id-log"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled().build();

    @Test
    void shouldKnowAnIdWithinTheHorizonBeforeAndAfterItsFlush() {
        final SeenEventIds seen = open(log, newIndex());

        assertThat(seen.seenBefore("a", T0)).as("first arrival").isFalse();
        assertThat(seen.seenBefore("a", T0 + 1)).as("again before a flush").isTrue();
        seen.flushCache();
        assertThat(seen.seenBefore("a", T0 + 2)).as("again after it").isTrue();
        assertThat(seen.seenBefore("b", T0 + 3)).isFalse();
        assertThat(seen.seenBefore("a", T0 + HORIZON.toMillis())).as("at the horizon's edge").isTrue();
    }

    @Test
    void shouldWriteOneLogRecordPerFlushNotOnePerEvent() {
        final SeenEventIds seen = open(log, newIndex());
        for (int i = 0; i < 1_000; i++) {
            seen.seenBefore("evt-" + i, T0 + i);
        }
        assertThat(log.approximateNumEntries()).as("nothing written before the flush").isZero();

        seen.flushCache();
        seen.flushCache();

        assertThat(log.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void shouldRebuildALostIndexFromTheLogAndForgetWhatWasNeverFlushed() {
        final SeenEventIds before = open(log, newIndex());
        before.seenBefore("flushed", T0);
        before.flushCache();
        before.seenBefore("lost-in-a-crash", T0 + 1);

        // As after an exactly-once dirty close, or on another instance: the log restored, the index empty.
        final SeenEventIds after = open(log, newIndex());

        assertThat(after.seenBefore("flushed", T0 + 2)).isTrue();
        assertThat(after.seenBefore("lost-in-a-crash", T0 + 3))
                .as("its events were not committed either, so it must count when processed again").isFalse();
    }

    @Test
    void shouldBringAStaleIndexUpToTheLogAfterAnotherInstanceWroteIt() {
        final KeyValueStore<Bytes, byte[]> ownIndex = newIndex();
        final SeenEventIds here = open(log, ownIndex);
        here.seenBefore("written-here", T0);
        here.flushCache();

        // The task moves away (its index stays on this disk); another instance goes on writing the log.
        here.clearCache();
        final SeenEventIds elsewhere = open(log, newIndex());
        elsewhere.seenBefore("written-elsewhere", T0 + 1);
        elsewhere.flushCache();

        ownIndex.put(Bytes.wrap(new byte[] {0, 0, 0, 1, 'z', 0, 0, 0, 0, 0, 0, 0, 0}), new byte[0]);  // an id whose batch left the log meanwhile
        here.open(ownIndex);
        assertThat(ownIndex.get(Bytes.wrap(new byte[] {0, 0, 0, 1, 'z', 0, 0, 0, 0, 0, 0, 0, 0})))
                .as("an index out of step with the log is rebuilt, not patched").isNull();
        assertThat(here.seenBefore("written-elsewhere", T0 + 2)).isTrue();
        assertThat(here.seenBefore("written-here", T0 + 3)).isTrue();
        here.flushCache();
        assertThat(here.batchesInLog()).as("numbering went on after both instances' batches").isEqualTo(2);
        assertThat(open(log, newIndex()).seenBefore("never-seen", T0 + 4)).isFalse();
    }

    @Test
    void shouldForgetIdsPastTheHorizonAndDeleteTheirBatches() {
        final KeyValueStore<Bytes, byte[]> index = newIndex();
        final SeenEventIds seen = open(log, index);
        seen.seenBefore("old", T0);
        seen.flushCache();
        final long later = T0 + HORIZON.toMillis() + 1;
        seen.seenBefore("new", later);
        seen.flushCache();

        assertThat(log.approximateNumEntries()).as("the old id's batch is deleted").isEqualTo(1);
        assertThat(index.approximateNumEntries()).as("and its id from the index: 'new' and the mark are left").isEqualTo(2);
        assertThat(seen.seenBefore("old", later + 1)).as("an id past the horizon counts again").isFalse();
        assertThat(seen.seenBefore("new", later + 2)).isTrue();
    }

    @Test
    void shouldSplitACommitOfManyIdsIntoRecordsUnderTheLimitAndReadThemBack() {
        final List<Admitted> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(new Admitted("évènement-" + "x".repeat(i % 40) + "-" + i, T0 + i));
        }

        final List<EventIdBatch> batches = EventIdBatch.split(ids);
        final List<Admitted> readBack = new ArrayList<>();
        for (final EventIdBatch batch : batches) {
            final byte[] record = batch.encode();
            assertThat(record.length).isLessThanOrEqualTo(EventIdBatch.MAX_BYTES);
            readBack.addAll(EventIdBatch.decode(record).ids());
        }

        assertThat(batches).hasSizeGreaterThan(1);
        assertThat(readBack).isEqualTo(ids);
    }

    @Test
    void shouldRememberEveryIdOfACommitLargerThanOneRecordAcrossARestart() {
        final SeenEventIds seen = open(log, newIndex());
        for (int i = 0; i < 20_000; i++) {
            seen.seenBefore("evt-" + "x".repeat(20) + i, T0 + i / 100);
        }
        seen.flushCache();
        assertThat(log.approximateNumEntries()).isGreaterThan(1);

        final SeenEventIds restarted = open(log, newIndex());
        for (int i = 0; i < 20_000; i += 997) {
            assertThat(restarted.seenBefore("evt-" + "x".repeat(20) + i, T0 + 300)).as("id %d", i).isTrue();
        }
    }

    private SeenEventIds open(final KeyValueStore<Bytes, byte[]> log, final KeyValueStore<Bytes, byte[]> index) {
        final SeenEventIds seen = new SeenEventIds(log, HORIZON.toMillis(), 1 << 20);
        seen.init(context, seen);
        seen.open(index);
        return seen;
    }

    private KeyValueStore<Bytes, byte[]> newIndex() {
        final KeyValueStore<Bytes, byte[]> index = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("dedupe-event-id-index"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        index.init(context, index);
        return index;
    }
}
