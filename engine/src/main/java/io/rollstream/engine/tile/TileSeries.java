package io.rollstream.engine.tile;

import java.util.Arrays;

/**
 * The tiles of one width for one entity, oldest first. Most events land in the newest tile, so
 * lookups start from the end; out-of-order events fall back to a binary search.
 *
 * <p>Beside each tile's accumulators the series keeps what storage needs to write only what
 * changed: the tile's encoded image as last written (dropped when an event changes the tile), and
 * whether the tile is stored under a key of its own rather than inside the entity's head record.
 * Evicting such a tile remembers its start, so storage can delete it.
 */
public final class TileSeries {

    private static final long[] NO_STARTS = new long[0];

    private long[] starts;
    private Object[][] slots;
    private byte[][] images;
    private boolean[] storedAlone;
    private int size;
    private long[] evictedAlone = NO_STARTS;
    private int evictedAloneCount;

    public TileSeries() {
        this(4);
    }

    public TileSeries(final int capacity) {
        final int initial = Math.max(1, capacity);
        this.starts = new long[initial];
        this.slots = new Object[initial][];
        this.images = new byte[initial][];
        this.storedAlone = new boolean[initial];
    }

    public int size() {
        return size;
    }

    public long startAt(final int index) {
        return starts[index];
    }

    public Object[] slotsAt(final int index) {
        return slots[index];
    }

    /**
     * The slots of the tile starting at {@code start}, created empty when missing. The caller is
     * about to change them, so the tile's stored image no longer holds.
     */
    public Object[] getOrCreate(final long start, final int slotCount) {
        if (size > 0 && starts[size - 1] == start) {
            images[size - 1] = null;
            return slots[size - 1];
        }
        final int found = size > 0 && start > starts[size - 1] ? -(size + 1) : Arrays.binarySearch(starts, 0, size, start);
        if (found >= 0) {
            images[found] = null;
            return slots[found];
        }
        final int insertAt = -(found + 1);
        final Object[] created = new Object[slotCount];
        insert(insertAt, start, created, null, false);
        return created;
    }

    /** Appends a tile read from storage, with the image it was read from; tiles must come oldest first. */
    public void append(final long start, final Object[] tileSlots, final byte[] image, final boolean alone) {
        insert(size, start, tileSlots, image, alone);
    }

    /** The tile's encoded image as last written or read, or null when it changed since (or never was). */
    public byte[] imageAt(final int index) {
        return images[index];
    }

    public void setImage(final int index, final byte[] image) {
        images[index] = image;
    }

    /** Whether the tile is stored under its own key rather than in the entity's head record. */
    public boolean isStoredAlone(final int index) {
        return storedAlone[index];
    }

    public void markStoredAlone(final int index) {
        storedAlone[index] = true;
    }

    /** Forgets every image and where each tile was stored: the next write writes everything. */
    public void forgetStorage() {
        Arrays.fill(images, 0, size, null);
        Arrays.fill(storedAlone, 0, size, false);
        evictedAloneCount = 0;
    }

    /** Starts of tiles stored alone that were evicted since the last call, oldest first; then forgets them. */
    public long[] drainEvictedStoredAlone() {
        if (evictedAloneCount == 0) {
            return NO_STARTS;
        }
        final long[] drained = Arrays.copyOf(evictedAlone, evictedAloneCount);
        evictedAloneCount = 0;
        return drained;
    }

    /** Drops the tiles that can no longer fall inside any window read at or after the reference. */
    public void evict(final TileLayout layout, final long referenceMs) {
        int keepFrom = 0;
        while (keepFrom < size && !layout.isLive(starts[keepFrom], referenceMs)) {
            if (storedAlone[keepFrom]) {
                rememberEvictedAlone(starts[keepFrom]);
            }
            keepFrom++;
        }
        if (keepFrom > 0) {
            final int kept = size - keepFrom;
            System.arraycopy(starts, keepFrom, starts, 0, kept);
            System.arraycopy(slots, keepFrom, slots, 0, kept);
            System.arraycopy(images, keepFrom, images, 0, kept);
            System.arraycopy(storedAlone, keepFrom, storedAlone, 0, kept);
            Arrays.fill(slots, kept, size, null);
            Arrays.fill(images, kept, size, null);
            Arrays.fill(storedAlone, kept, size, false);
            size = kept;
        }
    }

    private void rememberEvictedAlone(final long start) {
        if (evictedAloneCount == evictedAlone.length) {
            evictedAlone = Arrays.copyOf(evictedAlone, Math.max(4, evictedAloneCount * 2));
        }
        evictedAlone[evictedAloneCount++] = start;
    }

    private void insert(final int index, final long start, final Object[] tileSlots, final byte[] image,
                        final boolean alone) {
        if (size == starts.length) {
            final int capacity = size * 2;
            starts = Arrays.copyOf(starts, capacity);
            slots = Arrays.copyOf(slots, capacity);
            images = Arrays.copyOf(images, capacity);
            storedAlone = Arrays.copyOf(storedAlone, capacity);
        }
        final int moved = size - index;
        System.arraycopy(starts, index, starts, index + 1, moved);
        System.arraycopy(slots, index, slots, index + 1, moved);
        System.arraycopy(images, index, images, index + 1, moved);
        System.arraycopy(storedAlone, index, storedAlone, index + 1, moved);
        starts[index] = start;
        slots[index] = tileSlots;
        images[index] = image;
        storedAlone[index] = alone;
        size++;
    }
}
