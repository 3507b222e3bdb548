package io.rollstream.bench;

import io.rollstream.featurestore.FeatureStoreConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link EngineBenchmark} runs: the input (size, users, seed, time span) and the identical
 * Kafka Streams settings every variant gets.
 *
 * @param guarantees    processing guarantees to run every variant under, in order; the first one
 *                      gives the summary's unsuffixed keys
 * @param dslBudget     how long variant (c) may run: it is orders of magnitude slower, so it
 *                      processes a prefix of the input and its rate is extrapolated
 * @param dslMaxEvents  a cap on the prefix (c) processes, 0 for none (then only the budget limits it)
 * @param warmupEvents  events (a), (b) and (d) process once, unmeasured, before anything is timed, so
 *                      neither pays for JIT compilation of the code they share; 0 for no warm-up
 * @param compression   compression.type of every variant's producers (changelogs, relay topics)
 * @param featuresFile  the features (b) computes and (c) takes its windows from; null for the default
 *                      file, the one the targets are about
 */
public record EngineBenchmarkOptions(long events, int users, int items, long seed, Duration span,
                                     int partitions, int streamThreads, List<String> guarantees,
                                     Duration commitInterval, String compression, long rocksDbMemoryBytes,
                                     boolean skipDsl, Duration dslBudget, long dslMaxEvents, long warmupEvents,
                                     Path featuresFile) {

    private static final List<String> KNOWN_GUARANTEES = List.of(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2);

    public EngineBenchmarkOptions {
        new GeneratedInput(events, users, items, seed, span);
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(dslBudget, "dslBudget");
        guarantees = List.copyOf(guarantees);
        require(partitions >= 1, "the events topic needs at least 1 partition, got " + partitions);
        require(streamThreads >= 1, "each variant needs at least 1 stream thread, got " + streamThreads);
        require(!guarantees.isEmpty() && KNOWN_GUARANTEES.containsAll(guarantees) && guarantees.stream().distinct().count() == guarantees.size(),
                "processing guarantees must be distinct values among " + KNOWN_GUARANTEES + ", got " + guarantees);
        require(!commitInterval.isNegative() && !commitInterval.isZero(), "the commit interval must be positive, got " + commitInterval);
        require(FeatureStoreConfig.PRODUCER_COMPRESSIONS.contains(compression),
                "the producers' compression must be one of " + FeatureStoreConfig.PRODUCER_COMPRESSIONS + ", got " + compression);
        require(rocksDbMemoryBytes > 0, "the RocksDB memory budget must be positive, got " + rocksDbMemoryBytes);
        require(!dslBudget.isNegative() && !dslBudget.isZero(), "the DSL variant's time budget must be positive, got " + dslBudget);
        require(dslMaxEvents >= 0, "the DSL variant's event cap must be 0 (none) or positive, got " + dslMaxEvents);
        require(warmupEvents >= 0, "warm-up events must be 0 (no warm-up) or positive, got " + warmupEvents);
    }

    /** The input every variant reads. */
    GeneratedInput input() {
        return new GeneratedInput(events, users, items, seed, span);
    }

    /** The events (c) may process at most: its cap, never more than the input. */
    long dslEventLimit() {
        return dslMaxEvents == 0 ? events : Math.min(dslMaxEvents, events);
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
