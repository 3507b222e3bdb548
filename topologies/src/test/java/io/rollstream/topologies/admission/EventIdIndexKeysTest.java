package io.rollstream.topologies.admission;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One key range of the index holds exactly one id's arrivals within a time span, in a byte-ordered store. */
class EventIdIndexKeysTest {

    private static final long T0 = 1_793_000_000_000L;

    @Test
    void shouldRangeOverExactlyOneIdsArrivalsWithinTheSpan() {
        final KeyValueStore<Bytes, byte[]> index = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("index"),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        index.init(new MockProcessorContext<>().getStateStoreContext(), index);
        for (final String id : List.of("a", "ab", "a\u0000", "b", "évt", "")) {
            for (final long arrival : new long[] {-5, 0, T0 - 1, T0, T0 + 1, Long.MAX_VALUE}) {
                index.put(EventIdIndexKeys.of(id, arrival), (id + "@" + arrival).getBytes(StandardCharsets.UTF_8));
            }
        }
        index.put(EventIdIndexKeys.INDEXED_THROUGH, new byte[] {7});

        assertThat(between(index, "a", T0 - 1, T0)).containsExactly("a@" + (T0 - 1), "a@" + T0);
        assertThat(between(index, "a", -5, 0)).containsExactly("a@-5", "a@0");
        assertThat(between(index, "ab", T0, Long.MAX_VALUE)).containsExactly("ab@" + T0, "ab@" + (T0 + 1), "ab@" + Long.MAX_VALUE);
        assertThat(between(index, "évt", Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(6).allMatch(v -> v.startsWith("évt@"));
        assertThat(between(index, "c", Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
        assertThat(index.get(EventIdIndexKeys.INDEXED_THROUGH)).containsExactly(7);
    }

    private static List<String> between(final KeyValueStore<Bytes, byte[]> index, final String id, final long from, final long to) {
        final List<String> values = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> range = index.range(EventIdIndexKeys.of(id, from), EventIdIndexKeys.of(id, to))) {
            range.forEachRemaining((KeyValue<Bytes, byte[]> entry) -> values.add(new String(entry.value, StandardCharsets.UTF_8)));
        }
        return values;
    }
}
