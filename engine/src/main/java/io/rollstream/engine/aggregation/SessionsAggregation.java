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
 * <p>A tile keeps every session of its events: no session may be forgotten early, because a chain
 * of late events can join it to a later one. So give session features a window (24h for the
 * current session): tiles leaving the window bound the memory, where a lifetime window would
 * keep one entry per session forever.
 */
public final class SessionsAggregation implements Aggregation<SessionsAggregation.Sessions> {

    static final ParamSpec GAP_MINUTES = ParamSpec.wholeNumber("gap_minutes", 30, 1, 24 * 60,
            "the inactivity that ends a session");

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

    /** Sessions sorted by start, never within the gap of each other. */
    public static final class Sessions {
        long[] starts = new long[2];
        long[] ends = new long[2];
        long[] events = new long[2];
        int size;

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
    }

    @Override
    public void merge(final Sessions target, final Sessions source) {
        for (int i = 0; i < source.size; i++) {
            target.add(source.starts[i], source.ends[i], source.events[i], gapMs);
        }
    }

    @Override
    public Object result(final Sessions accumulator) {
        return reading == Reading.COUNT ? (long) accumulator.size : result(accumulator, Long.MAX_VALUE);
    }

    @Override
    public Object result(final Sessions accumulator, final long asOf) {
        if (reading == Reading.COUNT) {
            return (long) accumulator.size;
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
     * Times as deltas: the first start from the tile's start (a few bytes, where an epoch
     * millisecond took eight: sessions were half of a typical user's stored state), each later
     * start from the previous end, each end from its start.
     */
    @Override
    public void write(final Sessions accumulator, final DataOutput out, final long tileStartMs) throws IOException {
        VarInts.writeVarLong(out, accumulator.size);
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

    @Override
    public Sessions read(final DataInput in, final long tileStartMs) throws IOException {
        final Sessions sessions = new Sessions();
        final int size = (int) VarInts.readVarLong(in);
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
