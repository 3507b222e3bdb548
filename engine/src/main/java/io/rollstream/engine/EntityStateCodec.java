package io.rollstream.engine;

import io.rollstream.engine.io.ByteReader;
import io.rollstream.engine.io.ByteWriter;
import io.rollstream.engine.aggregation.VarInts;
import io.rollstream.engine.tile.TileLayout;
import io.rollstream.engine.tile.TileSeries;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Binary form of {@link EntityState} as stored in RocksDB and its changelog: one <em>head</em>
 * record per entity, plus one record per tile that is stored alone.
 *
 * <p>Why not one record per entity: the state of an active user runs to hundreds of kilobytes
 * (every tile of a long window holds its own sketches), and it changes in every commit. Written
 * whole, it was re-encoded and sent to the changelog ten times a second. Now a tile that is no
 * longer the newest of its width — sealed: only a late event can still change it — and whose image
 * is at least {@code aloneBytes} long is written once under its own key, and again only when a
 * late event changes it; but only in an entity whose tiles come to more than
 * {@code headBudgetBytes} in all. Everything else (the newest tiles, small sealed tiles, all tiles
 * of a small entity) travels in the head, assembled from each tile's cached image, so a commit
 * re-encodes only the tiles events changed. Most entities are small and have a head only: one
 * record to write, one point lookup to read, where a key range would cost an iterator (a third of
 * a single get's CPU in the serving benchmark). A large entity moves all its large sealed tiles
 * out at once, not just enough to fit the budget: its head is rewritten at every commit it is
 * active in, and a head kept full to the budget made the engine a fifth slower. Its small sealed
 * tiles stay in the head up to {@code maxInlineSealedBytes}; past that, the oldest move out too,
 * so that the head has a bound ({@link #maxRecordBytes}) however many tiles the windows keep.
 *
 * <pre>
 * head:  format:byte(3)  fingerprint:int  newestEventTime:long  aloneTilesInAll:varint
 *        per layout: inlineTiles:varint  aloneTiles:varint
 *                    per alone tile: tileNumber:varint (zigzag for the first, then delta)
 *                    per inline tile: tileNumber:varint (likewise)  imageLength:varint  image
 * tile image: bitmap:byte[ceil(slots/8)]  then each present slot's accumulator (event times in it may
 *             be written relative to the tile's start: Aggregation#write(acc, out, tileStart))
 * </pre>
 *
 * <p>The head names the tiles stored alone that belong to it, and records are written tiles
 * first, then the head, then deletions. A standby or a restoring copy applies a commit's records a
 * batch at a time, so a reader there can see any prefix of them: tiles the head does not name
 * (written ahead of a newer head, or not yet deleted) are ignored, so every prefix reads as the
 * previous or the new state, except that a tile a late event changed may show that event a moment
 * before the head does. A named tile that is missing cannot come from a prefix; it means the
 * records are damaged. Encoding reuses buffers: one codec per writing thread; decoding is safe
 * from any thread.
 */
public final class EntityStateCodec {

    /**
     * Part of every feature set's fingerprint, so a new format means new stores, rebuilt from the
     * events topic. 4: features keeping the same state share one slot of a tile. 5: sessions
     * written relative to their tile's start. 6: kept text cut to
     * {@link io.rollstream.engine.aggregation.FieldValues#MAX_TEXT_BYTES}: state written before
     * may hold longer text, which no size bound covers, and sessions write whether they forgot
     * any (SessionsAggregation#MAX_SESSIONS_PER_TILE).
     */
    static final byte FORMAT = 6;

    /**
     * The largest record a feature set may make the codec write, head or tile
     * ({@link #maxRecordBytes}); a features file whose entity could write a larger one is refused
     * at load. Half of what Kafka's producer sends in one request by default
     * ({@code max.request.size}, 1 MiB, which a record's key, framing and headers share with its
     * value, and which the brokers' {@code message.max.bytes} matches): a larger record would stop
     * the stream thread, every time it is retried. Not less, because the bound is a worst case
     * that adds every accumulator at its largest, and real records stay far below it (the default
     * user's bound is about 80 KB, its records a few KB): at half the limit a file can still hold,
     * say, 18 windows of {@code approx_distinct} at lg_k 12, or one at lg_k 16 (FeaturesFileTest).
     */
    public static final int MAX_ENTITY_RECORD_BYTES = 512 * 1024;

    /** Sealed tiles whose image has at least this many bytes may be stored under their own key. */
    public static final int DEFAULT_ALONE_BYTES = 128;

    /**
     * An entity whose tile images come to at most this many bytes keeps them all in its head: a
     * read of it is a single point lookup, and rewriting a few KB when it changes costs less than
     * the extra records.
     */
    public static final int DEFAULT_HEAD_BUDGET_BYTES = 4096;

    /**
     * The most bytes of sealed tile images the head of an entity over its budget keeps. Its large
     * sealed tiles have all moved out, but the small ones (under {@code aloneBytes}) stay, and their
     * number grows with the tiles the windows keep: a 5-minute window has 5-second tiles, up to 781
     * of them when events may be an hour ahead of readers. Past this many bytes the oldest move out
     * too, so the head stays bounded. 16 KiB is about twice the most the small sealed tiles of a
     * busy user of the default features came to (8.5 KB, with an event every 15 s and some hours
     * late), so such users are written as before; and past it, a tile that moves out makes the head
     * every commit rewrites smaller.
     */
    public static final int DEFAULT_MAX_INLINE_SEALED_BYTES = 16 * 1024;

    /** Stands for the image of a tile stored alone and unchanged since: not needed to write the head. */
    private static final byte[] WRITTEN_ALONE = new byte[0];

    /**
     * Where {@link #writeChanges} puts the records of one entity, in the order they must be
     * written: tiles, then the head, then deletions.
     */
    public interface Records {
        /** The tile's record, to be written (or overwritten). */
        void tile(int layout, long tileStart, byte[] image);

        /** The entity's head record, to be written. */
        void head(byte[] head);

        /** The tile's record, to be deleted: the tile left every window. */
        void tileDeleted(int layout, long tileStart);
    }

    /** A tile record read from storage. */
    public record StoredTile(int layout, long tileStart, byte[] image) {
    }

    private final FeatureSet featureSet;
    private final int aloneBytes;
    private final int headBudgetBytes;
    private final int maxInlineSealedBytes;
    private final ByteWriter tileWriter = new ByteWriter(256);
    private final ByteWriter headWriter = new ByteWriter(1024);

    public EntityStateCodec(final FeatureSet featureSet) {
        this(featureSet, DEFAULT_ALONE_BYTES, DEFAULT_HEAD_BUDGET_BYTES);
    }

    /**
     * @param aloneBytes      the image size from which a sealed tile may get a key of its own
     * @param headBudgetBytes how many bytes of tile images the head holds before sealed tiles move
     *                        out; with both 0, every sealed tile is stored alone
     */
    public EntityStateCodec(final FeatureSet featureSet, final int aloneBytes, final int headBudgetBytes) {
        this(featureSet, aloneBytes, headBudgetBytes, DEFAULT_MAX_INLINE_SEALED_BYTES);
    }

    /**
     * @param maxInlineSealedBytes how many bytes of small sealed tiles the head of an entity over
     *                             its budget keeps before the oldest move out
     */
    EntityStateCodec(final FeatureSet featureSet, final int aloneBytes, final int headBudgetBytes,
                     final int maxInlineSealedBytes) {
        if (aloneBytes < 0 || headBudgetBytes < 0 || maxInlineSealedBytes < 0) {
            throw new IllegalArgumentException("aloneBytes, headBudgetBytes and maxInlineSealedBytes must be at least 0, "
                    + "were " + aloneBytes + ", " + headBudgetBytes + " and " + maxInlineSealedBytes);
        }
        this.featureSet = featureSet;
        this.aloneBytes = aloneBytes;
        this.headBudgetBytes = headBudgetBytes;
        this.maxInlineSealedBytes = maxInlineSealedBytes;
    }

    /**
     * Emits what storage must write so that it holds {@code state}, given that it held the state as
     * last written or read with images: changed tiles stored alone, tiles newly stored alone,
     * deletions of evicted ones, then the head.
     */
    public void writeChanges(final EntityState state, final Records out) {
        final List<TileLayout> layouts = featureSet.layouts();
        long headTileBytes = 0;
        for (int l = 0; l < layouts.size(); l++) {
            final TileSeries series = state.series(l);
            for (int t = 0; t < series.size(); t++) {
                byte[] image = series.imageAt(t);
                if (image == null) {
                    image = encodeTile(layouts.get(l), series.startAt(t), series.slotsAt(t));
                    series.setImage(t, image);
                    if (series.isStoredAlone(t)) {
                        writeAlone(out, l, series, t, image);
                    }
                }
                if (!series.isStoredAlone(t)) {
                    headTileBytes += image.length;
                }
            }
        }
        // Over budget, the entity is a large one: every large sealed tile moves out, so that the
        // head of an active entity, rewritten at every commit, holds little more than its newest tiles.
        if (headTileBytes > headBudgetBytes) {
            long smallSealedBytes = 0;
            for (int l = 0; l < layouts.size(); l++) {
                final TileSeries series = state.series(l);
                final int newest = series.size() - 1;
                for (int t = 0; t < newest; t++) {
                    final byte[] image = series.imageAt(t);
                    if (!series.isStoredAlone(t) && image.length >= aloneBytes) {
                        series.markStoredAlone(t);
                        writeAlone(out, l, series, t, image);
                    } else if (!series.isStoredAlone(t)) {
                        smallSealedBytes += image.length;
                    }
                }
            }
            if (smallSealedBytes > maxInlineSealedBytes) {
                moveOutOldestSmallTiles(state, out, smallSealedBytes - maxInlineSealedBytes);
            }
        }
        final int[] aloneCounts = new int[layouts.size()];
        final long[][] evicted = new long[layouts.size()][];
        for (int l = 0; l < layouts.size(); l++) {
            final TileSeries series = state.series(l);
            for (int t = 0; t < series.size(); t++) {
                if (series.isStoredAlone(t)) {
                    aloneCounts[l]++;
                }
            }
            evicted[l] = series.drainEvictedStoredAlone();
        }
        out.head(encodeHead(state, aloneCounts));
        for (int l = 0; l < layouts.size(); l++) {
            for (final long start : evicted[l]) {
                out.tileDeleted(l, start);
            }
        }
    }

    /** Moves small sealed tiles out, oldest first in each layout, until {@code excessBytes} of them have. */
    private void moveOutOldestSmallTiles(final EntityState state, final Records out, final long excessBytes) {
        long excess = excessBytes;
        for (int l = 0; l < featureSet.layouts().size() && excess > 0; l++) {
            final TileSeries series = state.series(l);
            final int newest = series.size() - 1;
            for (int t = 0; t < newest && excess > 0; t++) {
                if (!series.isStoredAlone(t)) {
                    final byte[] image = series.imageAt(t);
                    excess -= image.length;
                    series.markStoredAlone(t);
                    writeAlone(out, l, series, t, image);
                }
            }
        }
    }

    /**
     * The most bytes a tile of this layout encodes to: its bitmap and every slot's accumulator at
     * its bound ({@link io.rollstream.engine.aggregation.Aggregation#maxEncodedBytes}); what a tile
     * stored alone takes, and a newest tile in the head.
     */
    public long maxTileBytes(final int layout) {
        final TileLayout tiles = featureSet.layouts().get(layout);
        long bytes = (tiles.slots() + 7) / 8;
        for (final int feature : tiles.slotFeatures()) {
            bytes += featureSet.features().get(feature).aggregation().maxEncodedBytes(tiles.widthMs());
        }
        return bytes;
    }

    /**
     * The largest record, head or tile stored alone, this codec can write for its feature set,
     * whatever the events folded in, given that the engine keeps tiles for windows read up to
     * {@code maxAheadOfReaders} before the newest event time (what {@code FeatureEngine} was
     * given). From the format above: the head's fixed part; per layout its two tile counts and at
     * most {@link TileLayout#maxTiles} tile numbers (the first of each list at most 10 bytes, the
     * others gaps within the series) and image lengths; and the images it carries: within the
     * head budget, at most the budget; past it, the newest tile of each layout at
     * {@link #maxTileBytes} and at most {@code maxInlineSealedBytes} of small sealed tiles. Keys
     * are not counted: storage adds the entity's id and, to a tile, its layout and start.
     */
    public long maxRecordBytes(final Duration maxAheadOfReaders) {
        final long aheadMs = maxAheadOfReaders.toMillis();
        final List<TileLayout> layouts = featureSet.layouts();
        long tilesInAll = 0;
        long listsBytes = 0;
        long newestTilesBytes = 0;
        long largestTile = 0;
        for (int l = 0; l < layouts.size(); l++) {
            final long tiles = layouts.get(l).maxTiles(aheadMs);
            final long tileBytes = maxTileBytes(l);
            tilesInAll += tiles;
            listsBytes += 2L * VarInts.sizeOf(tiles) + 2L * VarInts.MAX_BYTES
                    + tiles * (VarInts.sizeOf(tiles - 1) + VarInts.sizeOf(tileBytes));
            newestTilesBytes += tileBytes;
            largestTile = Math.max(largestTile, tileBytes);
        }
        final long fixed = 1 + Integer.BYTES + Long.BYTES + VarInts.sizeOf(tilesInAll);
        final long images = Math.max(headBudgetBytes, newestTilesBytes + maxInlineSealedBytes);
        return Math.max(fixed + listsBytes + images, largestTile);
    }

    private static void writeAlone(final Records out, final int layout, final TileSeries series, final int t,
                                   final byte[] image) {
        out.tile(layout, series.startAt(t), image);
        series.setImage(t, WRITTEN_ALONE);
    }

    /**
     * Makes the next {@link #writeChanges} write every tile, as if nothing were stored: for a state
     * that storage did not produce, written over an entity whose records are unknown.
     */
    public void forgetStorage(final EntityState state) {
        for (int l = 0; l < featureSet.layouts().size(); l++) {
            state.series(l).forgetStorage();
        }
    }

    private byte[] encodeHead(final EntityState state, final int[] aloneCounts) {
        final ByteWriter head = headWriter;
        head.reset();
        try {
            head.writeByte(FORMAT);
            head.writeInt(featureSet.fingerprint());
            head.writeLong(state.newestEventTime());
            int aloneInAll = 0;
            for (final int count : aloneCounts) {
                aloneInAll += count;
            }
            VarInts.writeVarLong(head, aloneInAll);
            final List<TileLayout> layouts = featureSet.layouts();
            for (int l = 0; l < layouts.size(); l++) {
                final TileSeries series = state.series(l);
                VarInts.writeVarLong(head, series.size() - aloneCounts[l]);
                VarInts.writeVarLong(head, aloneCounts[l]);
                final long width = layouts.get(l).widthMs();
                long previousTile = 0;
                boolean first = true;
                for (int t = 0; t < series.size(); t++) {
                    if (series.isStoredAlone(t)) {
                        final long tileNumber = Math.floorDiv(series.startAt(t), width);
                        writeTileNumber(head, tileNumber, previousTile, first);
                        previousTile = tileNumber;
                        first = false;
                    }
                }
                previousTile = 0;
                first = true;
                for (int t = 0; t < series.size(); t++) {
                    if (series.isStoredAlone(t)) {
                        continue;
                    }
                    final long tileNumber = Math.floorDiv(series.startAt(t), width);
                    writeTileNumber(head, tileNumber, previousTile, first);
                    previousTile = tileNumber;
                    first = false;
                    final byte[] image = series.imageAt(t);
                    VarInts.writeVarLong(head, image.length);
                    head.write(image);
                }
            }
        } catch (final IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return head.toByteArray();
    }

    private byte[] encodeTile(final TileLayout layout, final long tileStart, final Object[] slots) {
        final ByteWriter out = tileWriter;
        out.reset();
        final List<FeatureDefinition> features = featureSet.features();
        try {
            final int bitmapBytes = (slots.length + 7) / 8;
            for (int b = 0; b < bitmapBytes; b++) {
                int bits = 0;
                for (int s = b * 8; s < Math.min(slots.length, b * 8 + 8); s++) {
                    if (slots[s] != null) {
                        bits |= 1 << (s & 7);
                    }
                }
                out.writeByte(bits);
            }
            for (int s = 0; s < slots.length; s++) {
                if (slots[s] != null) {
                    features.get(layout.slotFeatures()[s]).write(slots[s], out, tileStart);
                }
            }
        } catch (final IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Whether the entity of this head has tiles stored under keys of their own, which a reader must
     * fetch with it; when not, the head alone is the whole entity.
     */
    public static boolean hasTilesStoredAlone(final byte[] head) {
        // format, fingerprint, newest event time, then the total as a varint: 0 is a single 0 byte.
        final int at = 1 + Integer.BYTES + Long.BYTES;
        return head.length <= at || head[at] != 0;
    }

    /**
     * The newest event time the entity of this head has seen, read without decoding it: what an idle
     * entity is judged by, for every entity of a store in turn.
     */
    public static long newestEventTime(final byte[] head) {
        final int at = 1 + Integer.BYTES;
        if (head.length < at + Long.BYTES) {
            throw new IllegalStateException("an entity head of " + head.length + " bytes is too short to hold its "
                    + "newest event time; the store was written by something else: rebuild it from the events topic");
        }
        long time = 0;
        for (int i = at; i < at + Long.BYTES; i++) {
            time = time << 8 | (head[i] & 0xFF);
        }
        return time;
    }

    /**
     * Rebuilds an entity from its head and the tiles stored alone under its key (in layout, then
     * start order, as a key range returns them); stored tiles the head does not name are ignored.
     *
     * @param keepImages keep each tile's image, as the writer needs to write only what changes later;
     *                   a reader that only answers queries saves the copies
     * @throws IllegalStateException when the bytes were written for another feature definition or
     *                               format (such state must be rebuilt, never reinterpreted), or are
     *                               corrupt
     */
    public EntityState decode(final byte[] head, final List<StoredTile> aloneTiles, final boolean keepImages) {
        final ByteReader in = new ByteReader(head);
        try {
            final byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("entity state has format " + format + ", this engine reads format "
                        + FORMAT + "; rebuild the state store from the events topic");
            }
            final int fingerprint = in.readInt();
            if (fingerprint != featureSet.fingerprint()) {
                throw new IllegalStateException("entity state was built by another definition of feature set '"
                        + featureSet.entity() + "' (fingerprint " + Integer.toHexString(fingerprint) + ", expected "
                        + Integer.toHexString(featureSet.fingerprint())
                        + "); a changed definition needs a new store, rebuilt from the events topic");
            }
            final EntityState state = EntityState.emptyFor(featureSet);
            state.restoreNewestEventTime(in.readLong());
            VarInts.readVarLong(in); // the total, for readers deciding whether to fetch tiles; counted per layout below
            final List<TileLayout> layouts = featureSet.layouts();
            int nextStored = 0;
            for (int l = 0; l < layouts.size(); l++) {
                final TileLayout layout = layouts.get(l);
                final TileSeries series = state.series(l);
                final int inline = (int) VarInts.readVarLong(in);
                final int alone = (int) VarInts.readVarLong(in);
                if (inline < 0 || alone < 0 || inline + alone > in.remaining()) {
                    throw corrupt(head, "layout " + l + " claims " + inline + " inline and " + alone + " alone tiles");
                }
                // The tiles this head names, found among the stored ones; others are ignored.
                final StoredTile[] named = new StoredTile[alone];
                long tileNumber = 0;
                for (int a = 0; a < alone; a++) {
                    tileNumber = readTileNumber(in, tileNumber, a == 0);
                    final long start = tileNumber * layout.widthMs();
                    while (nextStored < aloneTiles.size() && (aloneTiles.get(nextStored).layout() < l
                            || (aloneTiles.get(nextStored).layout() == l && aloneTiles.get(nextStored).tileStart() < start))) {
                        nextStored++;
                    }
                    if (nextStored == aloneTiles.size() || aloneTiles.get(nextStored).layout() != l
                            || aloneTiles.get(nextStored).tileStart() != start) {
                        throw corrupt(head, "its head names a tile stored alone (layout " + l + ", start "
                                + start + ") that storage does not hold");
                    }
                    named[a] = aloneTiles.get(nextStored++);
                }
                int nextNamed = 0;
                long previousStart = Long.MIN_VALUE;
                tileNumber = 0;
                for (int t = 0; t < inline; t++) {
                    tileNumber = readTileNumber(in, tileNumber, t == 0);
                    final long start = tileNumber * layout.widthMs();
                    final int length = (int) VarInts.readVarLong(in);
                    final int offset = in.position();
                    if (length < 0 || length > in.remaining()) {
                        throw corrupt(head, "a tile image of " + length + " bytes, " + in.remaining() + " left");
                    }
                    in.skipBytes(length);
                    // Tiles stored alone are sealed, older than the newest; merge them in by start.
                    while (nextNamed < alone && named[nextNamed].tileStart() < start) {
                        previousStart = appendAlone(series, layout, named[nextNamed++], previousStart, keepImages);
                    }
                    if (start <= previousStart || (nextNamed < alone && named[nextNamed].tileStart() == start)) {
                        throw corrupt(head, "two tiles start at " + start + " in layout " + l);
                    }
                    series.append(start, decodeTile(layout, start, head, offset, length),
                            keepImages ? Arrays.copyOfRange(head, offset, offset + length) : null, false);
                    previousStart = start;
                }
                while (nextNamed < alone) {
                    previousStart = appendAlone(series, layout, named[nextNamed++], previousStart, keepImages);
                }
            }
            return state;
        } catch (final IOException e) {
            throw corrupt(head, e.getMessage());
        }
    }

    private long appendAlone(final TileSeries series, final TileLayout layout, final StoredTile tile,
                             final long previousStart, final boolean keepImages) throws IOException {
        if (tile.tileStart() <= previousStart) {
            throw new IOException("tiles out of order at " + tile.tileStart());
        }
        series.append(tile.tileStart(), decodeTile(layout, tile.tileStart(), tile.image(), 0, tile.image().length),
                keepImages ? WRITTEN_ALONE : null, true);
        return tile.tileStart();
    }

    private Object[] decodeTile(final TileLayout layout, final long tileStart, final byte[] data, final int offset,
                                final int length)
            throws IOException {
        final ByteReader in = new ByteReader(data, offset, length);
        final int bitmapBytes = (layout.slots() + 7) / 8;
        final byte[] bitmap = new byte[bitmapBytes];
        in.readFully(bitmap);
        final List<FeatureDefinition> features = featureSet.features();
        final Object[] slots = new Object[layout.slots()];
        for (int s = 0; s < slots.length; s++) {
            if ((bitmap[s >>> 3] & (1 << (s & 7))) != 0) {
                slots[s] = features.get(layout.slotFeatures()[s]).read(in, tileStart);
            }
        }
        if (in.remaining() != 0) {
            throw new IOException(in.remaining() + " bytes left over after the tile's accumulators");
        }
        return slots;
    }

    private IllegalStateException corrupt(final byte[] head, final String detail) {
        return new IllegalStateException("entity state of feature set '" + featureSet.entity()
                + "' is truncated or corrupt (head of " + head.length + " bytes): " + detail
                + "; rebuild the state store from the events topic");
    }

    /** A list's tile numbers: the first as a signed (zigzag) varint, then the gaps, which are positive. */
    private static void writeTileNumber(final ByteWriter out, final long tileNumber, final long previous,
                                        final boolean first) throws IOException {
        if (first) {
            VarInts.writeZigZagLong(out, tileNumber);
        } else {
            VarInts.writeVarLong(out, tileNumber - previous);
        }
    }

    private static long readTileNumber(final ByteReader in, final long previous, final boolean first) throws IOException {
        return first ? VarInts.readZigZagLong(in) : previous + VarInts.readVarLong(in);
    }
}
