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

    private record TileKey(int layout, long start) implements Comparable<TileKey> {
        @Override
        public int compareTo(final TileKey other) {
            final int byLayout = Integer.compare(layout, other.layout);
            return byLayout != 0 ? byLayout : Long.compare(start, other.start);
        }
    }

    private final EntityStateCodec codec;
    private final TreeMap<TileKey, byte[]> tiles = new TreeMap<>();
    private byte[] head;
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
        codec.writeChanges(state, this);
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
        lastWriteRecords++;
        lastWriteBytes += image.length;
    }

    @Override
    public void tileDeleted(final int layout, final long tileStart) {
        if (tiles.remove(new TileKey(layout, tileStart)) == null) {
            throw new AssertionError("deleted tile " + layout + "@" + tileStart + " was never written");
        }
        lastWriteRecords++;
    }

    @Override
    public void head(final byte[] head) {
        this.head = head;
        lastWriteRecords++;
        lastWriteBytes += head.length;
    }
}
