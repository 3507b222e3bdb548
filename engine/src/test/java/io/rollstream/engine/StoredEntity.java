package io.rollstream.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entity's records as a store would hold them, written and read through an
 * {@link EntityStateCodec}: the head, and the tiles stored alone in key order (layout, start).
 */
final class StoredEntity implements EntityStateCodec.Records {

    record TileKey(int layout, long start) implements Comparable<TileKey> {
        @Override
        public int compareTo(final TileKey other) {
            final int byLayout = Integer.compare(layout, other.layout);
            return byLayout != 0 ? byLayout : Long.compare(start, other.start);
        }
    }

    /** One record of a write, in the order the codec emitted it; a null image deletes. */
    record Op(TileKey tile, byte[] image, boolean isHead) {
    }

    private final EntityStateCodec codec;
    private final TreeMap<TileKey, byte[]> tiles = new TreeMap<>();
    private byte[] head;
    private final List<Op> lastWrite = new ArrayList<>();
    /** Records the last write emitted: tile puts and deletes, then the head. */
    private int lastWriteRecords;
    private int lastWriteBytes;

    StoredEntity(final EntityStateCodec codec) {
        this.codec = codec;
    }

    /** The same records under another codec. */
    StoredEntity copyOf(final StoredEntity other) {
        tiles.putAll(other.tiles);
        head = other.head;
        return this;
    }

    void write(final EntityState state) {
        lastWriteRecords = 0;
        lastWriteBytes = 0;
        lastWrite.clear();
        codec.writeChanges(state, this);
    }

    /** The records of the last write, in order. */
    List<Op> lastWrite() {
        return List.copyOf(lastWrite);
    }

    /** A copy with the first {@code count} records of {@code ops} applied, as a standby part way through them. */
    StoredEntity withApplied(final List<Op> ops, final int count) {
        final StoredEntity copy = new StoredEntity(codec).copyOf(this);
        for (final Op op : ops.subList(0, count)) {
            if (op.isHead()) {
                copy.head = op.image();
            } else if (op.image() == null) {
                copy.tiles.remove(op.tile());
            } else {
                copy.tiles.put(op.tile(), op.image());
            }
        }
        return copy;
    }

    EntityState read() {
        return read(false);
    }

    EntityState read(final boolean keepImages) {
        final List<EntityStateCodec.StoredTile> stored = new ArrayList<>();
        for (final Map.Entry<TileKey, byte[]> tile : tiles.entrySet()) {
            stored.add(new EntityStateCodec.StoredTile(tile.getKey().layout(), tile.getKey().start(), tile.getValue()));
        }
        return codec.decode(head, stored, keepImages);
    }

    int tilesStoredAlone() {
        return tiles.size();
    }

    int headBytes() {
        return head.length;
    }

    int lastWriteRecords() {
        return lastWriteRecords;
    }

    int lastWriteBytes() {
        return lastWriteBytes;
    }

    /** Drops one tile record, as a torn or damaged store might. */
    void loseOneTile() {
        tiles.pollFirstEntry();
    }

    @Override
    public void tile(final int layout, final long tileStart, final byte[] image) {
        tiles.put(new TileKey(layout, tileStart), image);
        lastWrite.add(new Op(new TileKey(layout, tileStart), image, false));
        lastWriteRecords++;
        lastWriteBytes += image.length;
    }

    @Override
    public void tileDeleted(final int layout, final long tileStart) {
        if (tiles.remove(new TileKey(layout, tileStart)) == null) {
            throw new AssertionError("deleted tile " + layout + "@" + tileStart + " was never written");
        }
        lastWrite.add(new Op(new TileKey(layout, tileStart), null, false));
        lastWriteRecords++;
    }

    @Override
    public void head(final byte[] head) {
        this.head = head;
        lastWrite.add(new Op(null, head, true));
        lastWriteRecords++;
        lastWriteBytes += head.length;
    }
}
