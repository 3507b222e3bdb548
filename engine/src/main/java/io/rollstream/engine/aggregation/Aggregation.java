package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A mergeable aggregation: events are folded into one accumulator per tile, and the tiles inside
 * a window are merged at read time. Accumulators are mutable so that folding an event allocates
 * nothing in the common case.
 *
 * @param <A> the accumulator (partial aggregate) type
 */
public interface Aggregation<A> {

    A newAccumulator();

    void add(A accumulator, ClickEvent event);

    /** Folds {@code source} into {@code target}; {@code source} is left unchanged. */
    void merge(A target, A source);

    /** The feature value, JSON-friendly (Number, String, List, Map, or null when undefined). */
    Object result(A accumulator);

    /**
     * The feature value read at {@code asOf}; aggregations whose answer depends on the read
     * instant (the current session) override this.
     */
    default Object result(final A accumulator, final long asOf) {
        return result(accumulator);
    }

    /**
     * The first instant after {@code asOf} at which {@link #result(Object, long)} of this same
     * accumulator may read differently from its value at {@code asOf}; {@link Long#MAX_VALUE} when it
     * cannot (the default: most results do not depend on the read instant).
     */
    default long resultHoldsUntil(final A accumulator, final long asOf) {
        return Long.MAX_VALUE;
    }

    /**
     * What the accumulator holds, apart from which events and field feed it: features whose
     * aggregations have equal state keys, with the same event types and field, over tiles of the same
     * width, share one accumulator per tile (folded once, stored once) and differ only in how they
     * read it. By default every aggregation keeps a state of its own.
     */
    default Object stateKey() {
        return this;
    }

    void write(A accumulator, DataOutput out) throws IOException;

    A read(DataInput in) throws IOException;

    /**
     * Writes the accumulator of a tile that starts at {@code tileStartMs}: an aggregation that keeps
     * event times may write them relative to it, in fewer bytes (a time within a tile is a few bytes,
     * an epoch millisecond six or eight). By default the tile start is not used.
     */
    default void write(final A accumulator, final DataOutput out, final long tileStartMs) throws IOException {
        write(accumulator, out);
    }

    /**
     * The most bytes {@link #write(Object, DataOutput, long)} can take for the accumulator of one
     * tile of this width, whatever events were folded into it (their times fall inside the tile):
     * what bounds every record the engine writes ({@code EntityStateCodec#maxRecordBytes}). Text
     * counts at its cap, {@link FieldValues#MAX_TEXT_BYTES}. Only tiles' accumulators are written;
     * one that merged tiles, for a read, may be larger.
     */
    long maxEncodedBytes(long tileWidthMs);

    /** Reads what {@link #write(Object, DataOutput, long)} wrote for a tile starting at {@code tileStartMs}. */
    default A read(final DataInput in, final long tileStartMs) throws IOException {
        return read(in);
    }
}
