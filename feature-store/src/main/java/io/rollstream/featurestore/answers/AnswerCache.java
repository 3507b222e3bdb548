package io.rollstream.featurestore.answers;

import io.rollstream.topologies.features.EntityWriteListener;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Answers already worked out for the keys of one entity store, kept while they hold: a later read
 * of the key gets the same answer without reading the store or computing the features again.
 *
 * <p>An answer is dropped when it stops holding ({@link Cacheable#holdsUntil}: a tile leaves a
 * window, a session ends), when the stream thread writes the key's records ({@link #written}), and
 * all of them are dropped whenever the store's records may change beneath it ({@link #reset}: a
 * task opened, recycled between active and standby, closed, or restoring). Only answers read from
 * a running active copy belong here; the caller makes sure of that.
 *
 * <p>A read races the stream thread: it may read the records just before a write and offer its
 * answer just after the write was announced. So every read takes a {@link Ticket} first: the count
 * of writes announced for its key's stripe of keys, and of resets. An offered answer goes in
 * unconfirmed, and serves only while both counts are still its ticket's; once it is in and they
 * are, it is confirmed by swapping it for a confirmed copy, which only succeeds if nothing removed
 * it meanwhile. A confirmed answer is removed by the next write of its own key, not of its stripe.
 * A write is announced after its records are written and before its transaction commits, so once
 * a commit is over no answer from before it is served.
 *
 * <p>The caches of an instance share a {@link CacheBudget}, which sweeps them all when it is spent.
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

        /** Its size on the heap, roughly. */
        int bytes();
    }

    /** Taken before reading the store; see {@link #offer}. */
    public record Ticket(String key, long keyWrites, long resets) {
    }

    /** A kept answer; {@code read}: whether a read was served from it since the last sweep. */
    private static final class Entry<A extends Cacheable> {
        final A answer;
        final Ticket ticket;
        final boolean confirmed;
        final int charge;
        /** A hint for the sweep, so a plain field: a lost update costs one extra miss. */
        boolean read;

        Entry(final A answer, final Ticket ticket, final boolean confirmed, final int charge) {
            this.answer = answer;
            this.ticket = ticket;
            this.confirmed = confirmed;
            this.charge = charge;
        }
    }

    private static final int STRIPES = 4096;
    /** The map's node, the entries, the ticket, and the key's own object, beside its characters. */
    private static final int ENTRY_BYTES = 160;

    private final ConcurrentHashMap<String, Entry<A>> answers = new ConcurrentHashMap<>();
    private final CacheBudget budget;
    /** Writes announced per stripe of keys: an unconfirmed answer's key changed if its stripe's count moved. */
    private final AtomicLongArray keyWrites = new AtomicLongArray(STRIPES);
    private final AtomicLong resets = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public AnswerCache(final CacheBudget budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
        budget.register(this);
    }

    /**
     * The answer for {@code key} that holds at {@code asOf}, or null.
     *
     * @param servable whether this instance may still answer the key from here; a kept answer it may
     *                 not is dropped
     */
    public A get(final String key, final long asOf, final BooleanSupplier servable) {
        final Entry<A> entry = answers.get(key);
        if (entry == null || asOf < entry.answer.readAt()) {
            misses.increment();
            return null;
        }
        if (asOf >= entry.answer.holdsUntil() || !(entry.confirmed || current(entry.ticket)) || !servable.getAsBoolean()) {
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
        final int charge = answer.bytes() + ENTRY_BYTES + 2 * ticket.key().length();
        if (!budget.take(charge)) {
            budget.sweepSoon();
            return;
        }
        final Entry<A> offered = new Entry<>(answer, ticket, false, charge);
        final Entry<A> replaced = answers.put(ticket.key(), offered);
        if (replaced != null) {
            budget.giveBack(replaced.charge);
        }
        if (current(ticket)) {
            answers.replace(ticket.key(), offered, new Entry<>(answer, ticket, true, charge));
        } else {
            remove(ticket.key(), offered);
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
            budget.giveBack(removed.charge);
        }
    }

    @Override
    public void reset() {
        resets.incrementAndGet();
        for (final String key : answers.keySet()) {
            final Entry<A> removed = answers.remove(key);
            if (removed != null) {
                budget.giveBack(removed.charge);
            }
        }
    }

    private void remove(final String key, final Entry<A> entry) {
        if (answers.remove(key, entry)) {
            budget.giveBack(entry.charge);
        }
    }

    /** Drops what stopped holding at {@code now}, or was not read since the last sweep; marks the rest unread. */
    void sweep(final long now) {
        for (final Map.Entry<String, Entry<A>> kept : answers.entrySet()) {
            final Entry<A> entry = kept.getValue();
            if (!entry.read || now >= entry.answer.holdsUntil() || !(entry.confirmed || current(entry.ticket))) {
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
