package io.rollstream.featurestore.answers;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes the answer caches of one instance may hold together. When it is spent, new answers are not
 * kept (reads compute them as before), and a sweep of every cache (on a virtual thread, at most
 * once a second) drops the answers that stopped holding and those not read since the last sweep:
 * a clock, second-chance policy, with nothing but a flag set on the read path.
 */
public final class CacheBudget {

    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private final long limit;
    private final Clock clock;
    private final Executor sweeper;
    private final AtomicLong used = new AtomicLong();
    private final List<AnswerCache<?>> caches = new CopyOnWriteArrayList<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long lastSweep = System.nanoTime() - SWEEP_EVERY_NANOS;

    /** @param clock what "now" is to a sweep: the clock that anchors the reads */
    public CacheBudget(final long limitBytes, final Clock clock) {
        this(limitBytes, clock, Thread::startVirtualThread);
    }

    /** @param sweeper runs the sweeps, off the read path */
    CacheBudget(final long limitBytes, final Clock clock, final Executor sweeper) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("an answer cache budget is 0 (off) or more bytes, not " + limitBytes);
        }
        this.limit = limitBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
    }

    public boolean isOff() {
        return limit == 0;
    }

    public long usedBytes() {
        return used.get();
    }

    void register(final AnswerCache<?> cache) {
        caches.add(cache);
    }

    boolean take(final int bytes) {
        while (true) {
            final long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void giveBack(final int bytes) {
        used.addAndGet(-bytes);
    }

    void sweepSoon() {
        if (System.nanoTime() - lastSweep >= SWEEP_EVERY_NANOS && sweeping.compareAndSet(false, true)) {
            sweeper.execute(() -> {
                try {
                    final long now = clock.millis();
                    for (final AnswerCache<?> cache : caches) {
                        cache.sweep(now);
                    }
                } finally {
                    lastSweep = System.nanoTime();
                    sweeping.set(false);
                }
            });
        }
    }
}
