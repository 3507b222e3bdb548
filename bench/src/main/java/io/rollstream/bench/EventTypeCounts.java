package io.rollstream.bench;

import io.rollstream.schemas.EventType;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;

/**
 * Variant (c)'s aggregate: how many events of each type fell into one window, the DSL
 * counterpart of the engine's {@code <type>_count_<window>} features. Mutable, as DSL aggregators
 * may update the aggregate they are handed.
 */
final class EventTypeCounts {

    private static final int TYPES = EventType.values().length;

    private final long[] counts;

    EventTypeCounts() {
        this(new long[TYPES]);
    }

    private EventTypeCounts(final long[] counts) {
        this.counts = counts;
    }

    EventTypeCounts add(final EventType type) {
        counts[type.ordinal()]++;
        return this;
    }

    long count(final EventType type) {
        return counts[type.ordinal()];
    }

    /** Fixed width, one long per type: simple and as cheap to encode as anything a DSL user would write. */
    static Serde<EventTypeCounts> serde() {
        final Serializer<EventTypeCounts> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            final ByteBuffer buffer = ByteBuffer.allocate(TYPES * Long.BYTES);
            for (final long count : value.counts) {
                buffer.putLong(count);
            }
            return buffer.array();
        };
        final Deserializer<EventTypeCounts> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != TYPES * Long.BYTES) {
                throw new SerializationException("event type counts are " + TYPES * Long.BYTES + " bytes, got " + bytes.length
                        + "; the store was written by another version of the benchmark: delete its state directory");
            }
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            final long[] counts = new long[TYPES];
            for (int i = 0; i < TYPES; i++) {
                counts[i] = buffer.getLong();
            }
            return new EventTypeCounts(counts);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
