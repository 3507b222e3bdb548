package io.rollstream.bench;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Notes when a Kafka Streams application's main consumer first hands it records: the start of a
 * measurement, the same for every variant and free of start-up, rebalancing and store opening.
 * Kafka creates interceptors from a class name, so a run registers a {@link Clock} under an id and
 * passes the id in the consumer's config ({@value #PROBE_CONFIG}).
 */
public final class FirstRecordInterceptor implements ConsumerInterceptor<byte[], byte[]> {

    /** Consumer config key naming the clock of the run this consumer belongs to. */
    public static final String PROBE_CONFIG = "rollstream.bench.probe";

    private static final Map<String, Clock> CLOCKS = new ConcurrentHashMap<>();

    /** When the first record arrived, in {@link System#nanoTime()} terms. */
    static final class Clock {
        private static final long NOT_YET = Long.MIN_VALUE;
        private final AtomicLong firstRecordNanos = new AtomicLong(NOT_YET);

        boolean started() {
            return firstRecordNanos.get() != NOT_YET;
        }

        long firstRecordNanos() {
            return firstRecordNanos.get();
        }

        private void recordsArrived() {
            if (firstRecordNanos.get() == NOT_YET) {
                firstRecordNanos.compareAndSet(NOT_YET, System.nanoTime());
            }
        }
    }

    private Clock clock;

    static Clock register(final String probe) {
        final Clock clock = new Clock();
        if (CLOCKS.putIfAbsent(probe, clock) != null) {
            throw new IllegalStateException("a benchmark run with probe id '" + probe + "' is already registered");
        }
        return clock;
    }

    static void unregister(final String probe) {
        CLOCKS.remove(probe);
    }

    @Override
    public void configure(final Map<String, ?> configs) {
        final Object probe = configs.get(PROBE_CONFIG);
        clock = probe == null ? null : CLOCKS.get(probe.toString());
        if (clock == null) {
            throw new ConfigException(PROBE_CONFIG, probe, "no benchmark run registered this probe id; "
                    + FirstRecordInterceptor.class.getSimpleName() + " only works inside the engine benchmark");
        }
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(final ConsumerRecords<byte[], byte[]> records) {
        if (!records.isEmpty()) {
            clock.recordsArrived();
        }
        return records;
    }

    @Override
    public void onCommit(final Map<TopicPartition, OffsetAndMetadata> offsets) {
        // Commits are observed through the group's committed offsets, which exactly_once_v2 also
        // moves (in its transactions) while it never calls this.
    }

    @Override
    public void close() {
        // Nothing held: the clock belongs to the run.
    }
}
