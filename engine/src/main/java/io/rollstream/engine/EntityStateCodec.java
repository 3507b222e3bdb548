package io.rollstream.engine;

import io.rollstream.engine.aggregation.VarInts;
import io.rollstream.engine.tile.TileLayout;
import io.rollstream.engine.tile.TileSeries;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Binary form of {@link EntityState} as stored in RocksDB and its changelog. Compact because it is
 * written on every event: tile starts as varint tile numbers relative to the previous tile, a
 * presence bitmap per tile, then only the slots that hold something.
 *
 * <pre>
 * format:byte  fingerprint:int  newestEventTime:long
 * per layout: tileCount:varint, then per tile: tileNumberDelta:varint bitmap:byte[ceil(slots/8)] slot*
 * </pre>
 */
public final class EntityStateCodec {

    static final byte FORMAT = 1;

    private final FeatureSet featureSet;

    public EntityStateCodec(final FeatureSet featureSet) {
        this.featureSet = featureSet;
    }

    public byte[] encode(final EntityState state) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(featureSet.fingerprint());
            out.writeLong(state.newestEventTime());
            final List<TileLayout> layouts = featureSet.layouts();
            final List<FeatureDefinition> features = featureSet.features();
            for (int l = 0; l < layouts.size(); l++) {
                final TileLayout layout = layouts.get(l);
                final TileSeries series = state.series(l);
                VarInts.writeVarLong(out, series.size());
                long previousTile = 0;
                final byte[] bitmap = new byte[(layout.slots() + 7) / 8];
                for (int t = 0; t < series.size(); t++) {
                    final long tileNumber = Math.floorDiv(series.startAt(t), layout.widthMs());
                    VarInts.writeVarLong(out, t == 0 ? zigzag(tileNumber) : tileNumber - previousTile);
                    previousTile = tileNumber;
                    final Object[] slots = series.slotsAt(t);
                    java.util.Arrays.fill(bitmap, (byte) 0);
                    for (int s = 0; s < slots.length; s++) {
                        if (slots[s] != null) {
                            bitmap[s >>> 3] |= (byte) (1 << (s & 7));
                        }
                    }
                    out.write(bitmap);
                    for (int s = 0; s < slots.length; s++) {
                        if (slots[s] != null) {
                            features.get(layout.slotFeatures()[s]).write(slots[s], out);
                        }
                    }
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalStateException when the bytes were written for another feature definition or
     *                               format: such state must be rebuilt, never reinterpreted
     */
    public EntityState decode(final byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
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
            final List<TileLayout> layouts = featureSet.layouts();
            final List<FeatureDefinition> features = featureSet.features();
            for (int l = 0; l < layouts.size(); l++) {
                final TileLayout layout = layouts.get(l);
                final TileSeries series = state.series(l);
                final int tiles = (int) VarInts.readVarLong(in);
                long tileNumber = 0;
                final byte[] bitmap = new byte[(layout.slots() + 7) / 8];
                for (int t = 0; t < tiles; t++) {
                    final long delta = VarInts.readVarLong(in);
                    tileNumber = t == 0 ? unzigzag(delta) : tileNumber + delta;
                    in.readFully(bitmap);
                    final Object[] slots = new Object[layout.slots()];
                    for (int s = 0; s < slots.length; s++) {
                        if ((bitmap[s >>> 3] & (1 << (s & 7))) != 0) {
                            slots[s] = features.get(layout.slotFeatures()[s]).read(in);
                        }
                    }
                    series.append(tileNumber * layout.widthMs(), slots);
                }
            }
            return state;
        } catch (final IOException e) {
            throw new IllegalStateException("entity state of feature set '" + featureSet.entity()
                    + "' is truncated or corrupt (" + data.length + " bytes): " + e.getMessage(), e);
        }
    }

    private static long zigzag(final long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unzigzag(final long value) {
        return (value >>> 1) ^ -(value & 1);
    }
}
