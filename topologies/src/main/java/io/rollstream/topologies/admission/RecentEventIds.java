package io.rollstream.topologies.admission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which event ids may have arrived within the dedupe horizon: a timing Bloom filter in front of
 * the exact dedupe store. Almost every event is new, and asking the store (a RocksDB window store)
 * costs an iterator and a seek through every file of every segment — measured at half of the
 * stream thread's time. The filter answers "not seen" for nearly all of them from memory; only a
 * "maybe" (a real duplicate, or a false positive) goes on to the store, which decides.
 *
 * <p>Each id sets k slots to the number of the time bucket it arrived in (horizon / 64 wide);
 * stamps only grow. An id may have been seen if all its slots hold a bucket no older than the
 * horizon, so there are no false negatives and expiry costs nothing: old stamps simply stop
 * counting.
 *
 * <p>The filter sizes itself: when the ids within the horizon exceed a sixteenth of its slots (about
 * 0.25% false positives with k = 4) it starts a generation four times larger for new ids and keeps
 * asking the older one until that has seen nothing for a horizon — growing never stops the stream
 * thread to re-read the store. The newest generation stops growing at a memory cap, beyond which
 * false positives (lookups that go on to the store) rise instead; older generations still alive
 * can add up to two thirds of the cap for one horizon. Every generation still asked adds its false
 * positives, and each costs a lookup in the index: at an eighth of the slots and k = 3 (3% each)
 * one event in ten went on to the index in the engine benchmark, a sixth of the dedupe's time.
 */
final class RecentEventIds {

    /** 1 MiB: room for 16 000 ids before the first growth. */
    static final int MIN_SLOTS = 1 << 18;
    private static final int BUCKETS_PER_HORIZON = 64;
    private static final int PROBES = 4;
    /** Slots per id within the horizon below which the filter grows. */
    static final int SLOTS_PER_ID = 16;
    private static final int GROWTH = 4;

    /** Slots stamped with arrival buckets; {@code lastAdded} is the newest arrival it took. */
    private static final class Generation {
        final int[] stamps;
        final int mask;
        long lastAddedMs = Long.MIN_VALUE;

        Generation(final int slots) {
            this.stamps = new int[slots];
            this.mask = slots - 1;
        }
    }

    private final long horizonMs;
    private final long bucketMs;
    private final int maxSlots;
    /** Oldest first; ids are added to the last. */
    private final List<Generation> generations = new ArrayList<>();
    /** Ids added per bucket, a ring over the last horizon's buckets (plus the current one). */
    private final long[] addedPerBucket = new long[BUCKETS_PER_HORIZON + 1];
    private long ringBucket = Long.MIN_VALUE;
    private long liveIds;
    private long originBucket = Long.MIN_VALUE;

    /**
     * @param horizonMs how long an id counts as seen after it arrived
     * @param maxBytes  the memory the newest generation may grow to (4 bytes per slot)
     */
    RecentEventIds(final long horizonMs, final long maxBytes) {
        if (horizonMs <= 0) {
            throw new IllegalArgumentException("the dedupe horizon must be positive, was " + horizonMs + " ms");
        }
        this.horizonMs = horizonMs;
        this.bucketMs = Math.max(1, horizonMs / BUCKETS_PER_HORIZON);
        this.maxSlots = Integer.highestOneBit((int) Math.clamp(maxBytes / Integer.BYTES, MIN_SLOTS, 1 << 30));
        generations.add(new Generation(MIN_SLOTS));
    }

    /** Slots of the generation new ids go to. */
    int slots() {
        return newest().stamps.length;
    }

    /** Slots of every generation still asked. */
    long totalSlots() {
        return generations.stream().mapToLong(generation -> generation.stamps.length).sum();
    }

    private Generation newest() {
        return generations.getLast();
    }

    /** False when {@code id} certainly did not arrive within the horizon before {@code nowMs}. */
    boolean mightContain(final String id, final long nowMs) {
        final long hash = hash(id);
        // The bucket holding the horizon's far end: whatever the horizon's remainder of 64 buckets.
        final int oldest = stampOf(nowMs - horizonMs);
        final int h1 = (int) hash;
        final int h2 = (int) (hash >>> 32) | 1;
        for (int g = generations.size() - 1; g >= 0; g--) {
            if (holds(generations.get(g), h1, h2, oldest)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(final Generation generation, final int h1, final int h2, final int oldest) {
        for (int i = 0; i < PROBES; i++) {
            if (generation.stamps[(h1 + i * h2) & generation.mask] < oldest) {
                return false;
            }
        }
        return true;
    }

    /** Records that {@code id} arrived at {@code arrivalMs}; grows the filter when it gets crowded. */
    void add(final String id, final long arrivalMs) {
        final long hash = hash(id);
        final int stamp = stampOf(arrivalMs);
        final int h1 = (int) hash;
        final int h2 = (int) (hash >>> 32) | 1;
        final Generation target = newest();
        for (int i = 0; i < PROBES; i++) {
            final int slot = (h1 + i * h2) & target.mask;
            if (target.stamps[slot] < stamp) {
                target.stamps[slot] = stamp;
            }
        }
        target.lastAddedMs = Math.max(target.lastAddedMs, arrivalMs);
        count(Math.floorDiv(arrivalMs, bucketMs));
        dropGenerationsIdleSince(arrivalMs - horizonMs - 2 * bucketMs);
        if (liveIds * SLOTS_PER_ID > target.stamps.length && target.stamps.length < maxSlots) {
            generations.add(new Generation((int) Math.min((long) target.stamps.length * GROWTH, maxSlots)));
        }
    }

    /** Older generations that took no id since {@code cutoffMs} can hold nothing within the horizon. */
    private void dropGenerationsIdleSince(final long cutoffMs) {
        while (generations.size() > 1 && generations.getFirst().lastAddedMs < cutoffMs) {
            generations.removeFirst();
        }
    }

    /** Keeps {@link #liveIds} to the ids added within the last horizon's buckets. */
    private void count(final long bucket) {
        if (bucket > ringBucket) {
            final long steps = ringBucket == Long.MIN_VALUE ? addedPerBucket.length : bucket - ringBucket;
            for (long b = 1; b <= Math.min(steps, addedPerBucket.length); b++) {
                final int expired = (int) Math.floorMod(ringBucket + b, (long) addedPerBucket.length);
                liveIds -= addedPerBucket[expired];
                addedPerBucket[expired] = 0;
            }
            ringBucket = bucket;
        }
        if (bucket > ringBucket - addedPerBucket.length) {
            addedPerBucket[(int) Math.floorMod(bucket, (long) addedPerBucket.length)]++;
            liveIds++;
        }
    }

    /**
     * Bucket numbers counted from an origin two horizons before the first time the filter saw; 0
     * (an empty slot) is older than any. An int of buckets lasts 2^31 × horizon / 64: 90 years for a
     * 24-hour horizon, 390 days for a minute. Past that every stamp saturates and the filter says
     * "maybe" for every id: slower (each lookup goes to the store), never wrong.
     */
    private int stampOf(final long timeMs) {
        final long bucket = Math.floorDiv(timeMs, bucketMs);
        if (originBucket == Long.MIN_VALUE) {
            originBucket = bucket - 2L * BUCKETS_PER_HORIZON;
        }
        return (int) Math.clamp(bucket - originBucket + 1, 1, Integer.MAX_VALUE);
    }

    /** 64-bit FNV-1a over the UTF-16 units, then a splitmix64 finalizer to spread every bit. */
    private static long hash(final String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    @Override
    public String toString() {
        return "RecentEventIds[" + liveIds + " ids within the horizon, generations of "
                + Arrays.toString(generations.stream().mapToInt(generation -> generation.stamps.length).toArray())
                + " slots]";
    }
}
