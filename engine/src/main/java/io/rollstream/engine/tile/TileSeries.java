package io.rollstream.engine.tile;

import java.util.Arrays;

/**
 * The tiles of one width for one entity, oldest first. Most events land in the newest tile, so
 * lookups start from the end; out-of-order events fall back to a binary search.
 */
public final class TileSeries {

    private long[] starts;
    private Object[][] slots;
    private int size;

    public TileSeries() {
        this(4);
    }

    public TileSeries(final int capacity) {
        this.starts = new long[Math.max(1, capacity)];
        this.slots = new Object[Math.max(1, capacity)][];
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

    /** The slots of the tile starting at {@code start}, created empty when missing. */
    public Object[] getOrCreate(final long start, final int slotCount) {
        if (size > 0 && starts[size - 1] == start) {
            return slots[size - 1];
        }
        final int found = size > 0 && start > starts[size - 1] ? -(size + 1) : Arrays.binarySearch(starts, 0, size, start);
        if (found >= 0) {
            return slots[found];
        }
        final int insertAt = -(found + 1);
        final Object[] created = new Object[slotCount];
        insert(insertAt, start, created);
        return created;
    }

    /** Appends a tile read from storage; tiles must come oldest first. */
    public void append(final long start, final Object[] tileSlots) {
        insert(size, start, tileSlots);
    }

    /** Drops the tiles that can no longer fall inside any window read at or after the reference. */
    public void evict(final TileLayout layout, final long referenceMs) {
        int keepFrom = 0;
        while (keepFrom < size && !layout.isLive(starts[keepFrom], referenceMs)) {
            keepFrom++;
        }
        if (keepFrom > 0) {
            System.arraycopy(starts, keepFrom, starts, 0, size - keepFrom);
            System.arraycopy(slots, keepFrom, slots, 0, size - keepFrom);
            Arrays.fill(slots, size - keepFrom, size, null);
            size -= keepFrom;
        }
    }

    private void insert(final int index, final long start, final Object[] tileSlots) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            slots = Arrays.copyOf(slots, size * 2);
        }
        System.arraycopy(starts, index, starts, index + 1, size - index);
        System.arraycopy(slots, index, slots, index + 1, size - index);
        starts[index] = start;
        slots[index] = tileSlots;
        size++;
    }
}
