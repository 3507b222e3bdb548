package io.rollstream.bench;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.List;

/**
 * How fast one thread decodes the input's values with nothing else going on: the part of every
 * variant's cost that is Avro, printed beside the variants so their numbers can be read against it.
 */
final class AvroDecodeBaseline {

    private static final int WARM_UP_PASSES = 3;
    private static final int TIMED_PASSES = 3;

    /** Where the decoded values' checksum goes, so the JIT cannot drop the decoding as unused. */
    @SuppressWarnings("unused")
    private static volatile long blackhole;

    private AvroDecodeBaseline() {
    }

    static double eventsPerSecond(final List<byte[]> values, final Deserializer<ClickEvent> deserializer) {
        long sink = 0;
        for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
            sink += decodeAll(values, deserializer);
        }
        final long start = System.nanoTime();
        for (int pass = 0; pass < TIMED_PASSES; pass++) {
            sink += decodeAll(values, deserializer);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        blackhole = sink;
        return values.size() * (double) TIMED_PASSES / seconds;
    }

    private static long decodeAll(final List<byte[]> values, final Deserializer<ClickEvent> deserializer) {
        long sum = 0;
        for (final byte[] value : values) {
            sum += deserializer.deserialize(Topics.EVENTS, value).getEventTime().toEpochMilli() & 1;
        }
        return sum;
    }
}
