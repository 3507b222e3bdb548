package io.rollstream.featurestore.answers;

import io.rollstream.topologies.features.EntityWriteListener;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers already worked out for the keys of one entity store, kept while they hold: a later read
 * of the key gets the same answer without reading the store or computing the features again.
 *
 * <p>An answer is dropped when it stops holding ({@link Cacheable#holdsUntil}: a tile leaves a
 * window, a session ends), when the stream thread writes the key's records
 * ({@link #written}), and all of them are dropped whenever the store's records may change beneath
 * it ({@link #reset}: a task opened, recycled between active and standby, or closed). Only answers
 * read from a running active copy belong here; the caller makes sure of that.
 *
 * <p>A read races the stream thread: it may read the records just before a write and offer its
 * answer just after the write was announced. So every read takes a {@link Ticket} first (the count
 * of writes announced for its key's stripe, and of resets), and a kept answer serves only while
 * both counts are still those of its ticket. A write is announced after its records are written and
 * before its transaction commits, so once a commit is over no answer from before it is served.
 *
 * <p>The caches of an instance share a {@link CacheBudget} of bytes. When it refuses an answer, a
 * sweep (on a virtual thread, at most once a second) drops the answers that stopped holding and
 * those not read since the last sweep, and clears the mark of the rest: a clock, second-chance
 * policy, with nothing but a flag set on the read path.
 *
 * @param <A> the kept answer
 */
public final class AnswerCache<A extends AnswerCache.Cacheable> implements EntityWriteListener {

    /** What the cache needs to know of an answer. */
    public interface Cacheable {
        /** The instant the answer was worked out at: it serves reads at or after it. */
        long readAt();

        /** The first instant it no longer serves, with no write in between. */
        long holdsUntil();

        /** Its size, counted against the budget. */
        int bytes();
    }

    /** Taken before reading the store; see {@link #offer}. */
    public record Ticket(String key, long keyWrites, long resets) {
    }

    /** A kept answer, and whether it was read since the last sweep. */
    private static final class Entry<A extends Cacheable> {
        final A answer;
        final Ticket ticket;
        /** A hint for the sweep, so a plain field: a lost update costs one extra miss. */
        boolean read;

        Entry(final A answer, final Ticket ticket) {
            this.answer = answer;
            this.ticket = ticket;
        }
    }

    private static final int STRIPES = 4096;
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private final ConcurrentHashMap<String, Entry<A>> answers = new ConcurrentHashMap<>();
    private final CacheBudget budget;
    private final Clock clock;
    private final Executor sweeper;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long lastSweep = System.nanoTime() - SWEEP_EVERY_NANOS;
    /** Writes announced per stripe of keys: a ticket's key changed if its stripe's count moved. */
    private final AtomicLongArray keyWrites = new AtomicLongArray(STRIPES);
    private final AtomicLong resets = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** @param clock what "now" is to a sweep: the clock that anchors the reads */
    public AnswerCache(final CacheBudget budget, final Clock clock) {
        this(budget, clock, Thread::startVirtualThread);
    }

    /** @param sweeper runs the sweeps, off the read path */
    AnswerCache(final CacheBudget budget, final Clock clock, final Executor sweeper) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
    }

    /** The answer for {@code key} that holds at {@code asOf}, or null. */
    public A get(final String key, final long asOf) {
        final Entry<A> entry = answers.get(key);
        if (entry == null || asOf < entry.answer.readAt()) {
            misses.increment();
            return null;
        }
        if (asOf >= entry.answer.holdsUntil() || !current(entry.ticket)) {
            remove(key, entry);
            misses.increment();
            return null;
        }
        if (!entry.read) {
            entry.read = true;
        }
        hits.increment();
        return entry.answer;
    }

    public Ticket ticket(final String key) {
        return new Ticket(key, keyWrites.get(stripe(key)), resets.get());
    }

    /** Keeps {@code answer}, read after {@code ticket} was taken, unless the key or the store changed since. */
    public void offer(final Ticket ticket, final A answer) {
        if (!budget.take(answer.bytes())) {
            sweepSoon();
            return;
        }
        final Entry<A> entry = new Entry<>(answer, ticket);
        final Entry<A> replaced = answers.put(ticket.key(), entry);
        if (replaced != null) {
            budget.giveBack(replaced.answer.bytes());
        }
        // A write announced meanwhile may have missed it: it would never serve, so do not let it take room.
        if (!current(ticket)) {
            remove(ticket.key(), entry);
        }
    }

    /** Whether nothing was written to the ticket's key (or its stripe) and nothing reset since it was taken. */
    private boolean current(final Ticket ticket) {
        return keyWrites.get(stripe(ticket.key())) == ticket.keyWrites() && resets.get() == ticket.resets();
    }

    @Override
    public void written(final String key) {
        keyWrites.incrementAndGet(stripe(key));
        final Entry<A> removed = answers.remove(key);
        if (removed != null) {
            budget.giveBack(removed.answer.bytes());
        }
    }

    @Override
    public void reset() {
        resets.incrementAndGet();
        for (final String key : answers.keySet()) {
            final Entry<A> removed = answers.remove(key);
            if (removed != null) {
                budget.giveBack(removed.answer.bytes());
            }
        }
    }

    private void remove(final String key, final Entry<A> entry) {
        if (answers.remove(key, entry)) {
            budget.giveBack(entry.answer.bytes());
        }
    }

    private void sweepSoon() {
        if (System.nanoTime() - lastSweep >= SWEEP_EVERY_NANOS && sweeping.compareAndSet(false, true)) {
            sweeper.execute(() -> {
                try {
                    sweep();
                } finally {
                    lastSweep = System.nanoTime();
                    sweeping.set(false);
                }
            });
        }
    }

    /** Drops what stopped holding or was not read since the last sweep; marks the rest unread. */
    void sweep() {
        final long now = clock.millis();
        for (final Map.Entry<String, Entry<A>> kept : answers.entrySet()) {
            final Entry<A> entry = kept.getValue();
            if (!entry.read || now >= entry.answer.holdsUntil() || !current(entry.ticket)) {
                remove(kept.getKey(), entry);
            } else {
                entry.read = false;
            }
        }
    }

    public int size() {
        return answers.size();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    private static int stripe(final String key) {
        final int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
