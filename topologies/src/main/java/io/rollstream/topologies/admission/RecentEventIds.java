package io.rollstream.topologies.admission;

import java.util.Arrays;

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
 * counting. The filter grows fourfold (and is refilled from the store) whenever the ids within the
 * horizon exceed an eighth of its slots (about 3% false positives with k = 3), up to a memory cap
 * beyond which it keeps its size and lets more lookups through to the store.
 */
final class RecentEventIds {

    /** 1 MiB: room for 32 000 ids before the first refill. */
    static final int MIN_SLOTS = 1 << 18;
    private static final int BUCKETS_PER_HORIZON = 64;
    private static final int PROBES = 3;
    /** Ids within the horizon per slot above which the filter grows. */
    private static final int SLOTS_PER_ID = 8;

    private final long bucketMs;
    private final int maxSlots;
    private int[] stamps;
    private int mask;
    /** Ids added per bucket, a ring over the last horizon's buckets (plus the current one). */
    private final long[] addedPerBucket = new long[BUCKETS_PER_HORIZON + 1];
    private long ringBucket = Long.MIN_VALUE;
    private long liveIds;
    private long originBucket = Long.MIN_VALUE;

    /**
     * @param horizonMs how long an id counts as seen after it arrived
     * @param maxBytes  the memory the filter may grow to (4 bytes per slot)
     */
    RecentEventIds(final long horizonMs, final long maxBytes) {
        if (horizonMs <= 0) {
            throw new IllegalArgumentException("the dedupe horizon must be positive, was " + horizonMs + " ms");
        }
        this.bucketMs = Math.max(1, horizonMs / BUCKETS_PER_HORIZON);
        this.maxSlots = Integer.highestOneBit((int) Math.clamp(maxBytes / Integer.BYTES, MIN_SLOTS, 1 << 30));
        resize(MIN_SLOTS);
    }

    int slots() {
        return stamps.length;
    }

    /** Forgets everything and takes {@code slots} slots (a power of two). */
    void resize(final int slots) {
        this.stamps = new int[slots];
        this.mask = slots - 1;
        Arrays.fill(addedPerBucket, 0);
        this.liveIds = 0;
    }

    /** The slots the filter wants; when more than it has, the caller refills it from the store after {@link #resize}. */
    int wantedSlots() {
        if (liveIds * SLOTS_PER_ID > stamps.length && stamps.length < maxSlots) {
            // Four times at once: every growth refills the filter from the store, a scan of every id.
            return (int) Math.min((long) stamps.length * 4, maxSlots);
        }
        return stamps.length;
    }

    /** False when {@code id} certainly did not arrive within the horizon before {@code nowMs}. */
    boolean mightContain(final String id, final long nowMs) {
        final long hash = hash(id);
        final int oldest = stampOf(nowMs) - BUCKETS_PER_HORIZON - 1;
        final int h1 = (int) hash;
        final int h2 = (int) (hash >>> 32) | 1;
        for (int i = 0; i < PROBES; i++) {
            if (stamps[(h1 + i * h2) & mask] < oldest) {
                return false;
            }
        }
        return true;
    }

    /** Records that {@code id} arrived at {@code arrivalMs}. */
    void add(final String id, final long arrivalMs) {
        final long hash = hash(id);
        final int stamp = stampOf(arrivalMs);
        final int h1 = (int) hash;
        final int h2 = (int) (hash >>> 32) | 1;
        for (int i = 0; i < PROBES; i++) {
            final int slot = (h1 + i * h2) & mask;
            if (stamps[slot] < stamp) {
                stamps[slot] = stamp;
            }
        }
        count(Math.floorDiv(arrivalMs, bucketMs));
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
     * Bucket numbers counted from an origin two horizons before the first time the filter saw, so
     * that they fit an int for years even with a short horizon; 0 (an empty slot) is older than any.
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
}
