package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Sessions from event time: events at most the inactivity gap apart belong to one session. Each tile
 * keeps the sessions of its own events as (start, end, events); merging tiles joins sessions whose
 * ends are within the gap, which gives exactly the sessions of all their events together, so the
 * usual window merge yields the sessions of the window's events.
 *
 * <p>Three readings: the events and the duration of the <em>current</em> session (the latest one,
 * if its last event is within the gap of the read instant; otherwise there is none and both are
 * 0), and the number of sessions in the window.
 *
 * <p>A tile keeps every session of its events, up to {@link #MAX_SESSIONS_PER_TILE}: no session may
 * be forgotten early, because a chain of late events can join it to a later one. So give session
 * features a window (24h for the current session): tiles leaving the window bound the memory.
 * Past the cap, which only a lifetime window can reach, a tile forgets its oldest sessions and
 * counts them instead (see the constant for what that changes).
 */
public final class SessionsAggregation implements Aggregation<SessionsAggregation.Sessions> {

    static final ParamSpec GAP_MINUTES = ParamSpec.wholeNumber("gap_minutes", 30, 1, 24 * 60,
            "the inactivity that ends a session");

    /**
     * The most sessions one tile keeps, so that its state has a size bound (under 25 KB,
     * {@link #maxEncodedBytes}). Sessions of one tile start more than a gap apart, so a tile of
     * width w holds at most (w - 1) / (gap + 1) + 1 of them: 720 for the widest tile a features
     * file's windows use (12 hours, for 30 days) and the shortest gap (1 minute). So the cap never
     * changes a windowed feature; only the single tile of a lifetime window reaches it. There the
     * oldest session is forgotten and counted: {@code session_count} stays exact for events in
     * time order, and the current session is never the one forgotten. What it cannot know is
     * whether a late event falls within the gap of a forgotten session: such an event counts as a
     * session of its own.
     */
    static final int MAX_SESSIONS_PER_TILE = 1024;

    /** Which reading this aggregation gives. */
    public enum Reading {
        /** Events in the current session (long). */
        CURRENT_EVENTS("session_events"),
        /** Seconds from the current session's first event to its last (double). */
        CURRENT_DURATION("session_duration"),
        /** Sessions among the window's events (long). */
        COUNT("session_count");

        private final String kind;

        Reading(final String kind) {
            this.kind = kind;
        }

        public String kind() {
            return kind;
        }
    }

    /** Sessions sorted by start, never within the gap of each other; and how many older ones were forgotten. */
    public static final class Sessions {
        long[] starts = new long[2];
        long[] ends = new long[2];
        long[] events = new long[2];
        int size;
        /** Sessions older than all of these, no longer kept ({@link #MAX_SESSIONS_PER_TILE}). */
        long forgotten;

        void add(final long start, final long end, final long count, final long gap) {
            // Find every session this one touches (within the gap), fold them into it, keep order.
            int first = 0;
            while (first < size && ends[first] + gap < start) {
                first++;
            }
            int last = first;
            long mergedStart = start;
            long mergedEnd = end;
            long mergedEvents = count;
            while (last < size && starts[last] - gap <= end) {
                mergedStart = Math.min(mergedStart, starts[last]);
                mergedEnd = Math.max(mergedEnd, ends[last]);
                mergedEvents += events[last];
                last++;
            }
            final int removed = last - first;
            if (removed == 0) {
                ensureCapacity(size + 1);
                shift(first, first + 1);
                size++;
            } else if (removed > 1) {
                shift(last, first + 1);
                size -= removed - 1;
            }
            starts[first] = mergedStart;
            ends[first] = mergedEnd;
            events[first] = mergedEvents;
        }

        /** Forgets the oldest session while more than {@code max} are kept, counting it. */
        void keepAtMost(final int max) {
            while (size > max) {
                shift(1, 0);
                size--;
                forgotten++;
            }
        }

        private void shift(final int from, final int to) {
            System.arraycopy(starts, from, starts, to, size - from);
            System.arraycopy(ends, from, ends, to, size - from);
            System.arraycopy(events, from, events, to, size - from);
        }

        private void ensureCapacity(final int capacity) {
            if (capacity > starts.length) {
                final int grown = Math.max(capacity, starts.length * 2);
                starts = Arrays.copyOf(starts, grown);
                ends = Arrays.copyOf(ends, grown);
                events = Arrays.copyOf(events, grown);
            }
        }
    }

    private final Reading reading;
    private final long gapMs;

    public SessionsAggregation(final Reading reading, final long gapMinutes) {
        this.reading = reading;
        this.gapMs = gapMinutes * 60_000L;
    }

    @Override
    public Sessions newAccumulator() {
        return new Sessions();
    }

    @Override
    public void add(final Sessions accumulator, final ClickEvent event) {
        final long time = event.getEventTime().toEpochMilli();
        accumulator.add(time, time, 1, gapMs);
        accumulator.keepAtMost(MAX_SESSIONS_PER_TILE);
    }

    /**
     * Not capped: a merge builds what a read answers from, never stored, and capping it would
     * forget sessions a window's tiles kept.
     */
    @Override
    public void merge(final Sessions target, final Sessions source) {
        for (int i = 0; i < source.size; i++) {
            target.add(source.starts[i], source.ends[i], source.events[i], gapMs);
        }
        target.forgotten += source.forgotten;
    }

    @Override
    public Object result(final Sessions accumulator) {
        return reading == Reading.COUNT ? count(accumulator) : result(accumulator, Long.MAX_VALUE);
    }

    private static long count(final Sessions accumulator) {
        return accumulator.size + accumulator.forgotten;
    }

    @Override
    public Object result(final Sessions accumulator, final long asOf) {
        if (reading == Reading.COUNT) {
            return count(accumulator);
        }
        final int latest = accumulator.size - 1;
        final boolean current = latest >= 0 && asOf - accumulator.ends[latest] <= gapMs;
        if (reading == Reading.CURRENT_EVENTS) {
            return current ? accumulator.events[latest] : 0L;
        }
        return current ? (accumulator.ends[latest] - accumulator.starts[latest]) / 1000.0 : 0.0;
    }

    /** A current session stops being current once the gap has passed since its last event. */
    @Override
    public long resultHoldsUntil(final Sessions accumulator, final long asOf) {
        final int latest = accumulator.size - 1;
        if (reading == Reading.COUNT || latest < 0 || asOf - accumulator.ends[latest] > gapMs) {
            return Long.MAX_VALUE;
        }
        return accumulator.ends[latest] + gapMs + 1;
    }

    /** The three readings keep the same sessions: one accumulator serves all of them (for one gap). */
    @Override
    public Object stateKey() {
        return new SessionsState(gapMs);
    }

    private record SessionsState(long gapMs) {
    }

    @Override
    public void write(final Sessions accumulator, final DataOutput out) throws IOException {
        write(accumulator, out, 0);
    }

    @Override
    public Sessions read(final DataInput in) throws IOException {
        return read(in, 0);
    }

    /**
     * The count of sessions, twice, plus 1 when older ones were forgotten (then their number
     * follows): a count under 64 stays one byte, as before the cap. Then times as deltas: the
     * first start from the tile's start (a few bytes, where an epoch millisecond took eight:
     * sessions were half of a typical user's stored state), each later start from the previous
     * end, each end from its start.
     */
    @Override
    public void write(final Sessions accumulator, final DataOutput out, final long tileStartMs) throws IOException {
        final boolean forgot = accumulator.forgotten > 0;
        VarInts.writeVarLong(out, 2L * accumulator.size + (forgot ? 1 : 0));
        if (forgot) {
            VarInts.writeVarLong(out, accumulator.forgotten);
        }
        long previousEnd = 0;
        for (int i = 0; i < accumulator.size; i++) {
            if (i == 0) {
                VarInts.writeZigZagLong(out, accumulator.starts[i] - tileStartMs);
            } else {
                VarInts.writeVarLong(out, accumulator.starts[i] - previousEnd);
            }
            VarInts.writeVarLong(out, accumulator.ends[i] - accumulator.starts[i]);
            VarInts.writeVarLong(out, accumulator.events[i]);
            previousEnd = accumulator.ends[i];
        }
    }

    /**
     * As many sessions as fit a tile this wide with this gap, at most the cap; each: its start
     * (the first from the tile's start, zigzag), its length, both under the tile's width, and its
     * events; the forgotten count when the cap can be reached.
     */
    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        final long fitting = (tileWidthMs - 1) / (gapMs + 1) + 1;
        final long sessions = Math.min(MAX_SESSIONS_PER_TILE, fitting);
        final long perSession = VarInts.sizeOf(2 * (tileWidthMs - 1)) + VarInts.sizeOf(tileWidthMs - 1)
                + VarInts.sizeOf(Long.MAX_VALUE);
        final long forgotten = fitting > MAX_SESSIONS_PER_TILE ? VarInts.sizeOf(Long.MAX_VALUE) : 0;
        return VarInts.sizeOf(2L * sessions + 1) + forgotten + sessions * perSession;
    }

    @Override
    public Sessions read(final DataInput in, final long tileStartMs) throws IOException {
        final Sessions sessions = new Sessions();
        final long sizeAndForgot = VarInts.readVarLong(in);
        if (sizeAndForgot < 0 || sizeAndForgot / 2 > MAX_SESSIONS_PER_TILE) {
            throw new IOException("corrupt " + this + " accumulator: " + sizeAndForgot / 2 + " sessions in a tile");
        }
        final int size = (int) (sizeAndForgot / 2);
        if ((sizeAndForgot & 1) != 0) {
            sessions.forgotten = VarInts.readVarLong(in);
        }
        sessions.ensureCapacity(size);
        long previousEnd = 0;
        for (int i = 0; i < size; i++) {
            final long start = i == 0 ? tileStartMs + VarInts.readZigZagLong(in) : previousEnd + VarInts.readVarLong(in);
            sessions.starts[i] = start;
            sessions.ends[i] = start + VarInts.readVarLong(in);
            sessions.events[i] = VarInts.readVarLong(in);
            previousEnd = sessions.ends[i];
        }
        sessions.size = size;
        return sessions;
    }

    @Override
    public String toString() {
        return reading.kind() + "(gap_minutes=" + gapMs / 60_000 + ")";
    }
}
