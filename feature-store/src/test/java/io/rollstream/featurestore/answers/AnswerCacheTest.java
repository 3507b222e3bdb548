package io.rollstream.featurestore.answers;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerCacheTest {

    /** An answer computed from one version of a key's state. */
    private record Answer(long version, long readAt, long holdsUntil, int bytes) implements AnswerCache.Cacheable {
        Answer(final long version, final long readAt, final long holdsUntil) {
            this(version, readAt, holdsUntil, 100);
        }
    }

    private static final long T = 1_000_000;
    private final AtomicLong now = new AtomicLong(T);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    private static Answer get(final AnswerCache<Answer> cache, final String key, final long asOf) {
        return cache.get(key, asOf, () -> true);
    }

    /** What one of these answers takes of the budget: its bytes, the entry, the key. */
    private static int charge(final String key) {
        return 100 + 160 + 2 * key.length();
    }

    @Test
    void shouldDropAnAnswerThisInstanceMayNoLongerServe() {
        final AnswerCache<Answer> cache = new AnswerCache<>(new CacheBudget(1 << 20, clock));
        cache.offer(cache.ticket("k"), new Answer(1, T, Long.MAX_VALUE));

        assertThat(cache.get("k", T, () -> false)).as("another instance owns the key now").isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.hits()).isZero();
    }

    @Test
    void shouldKeepAConfirmedAnswerWhileOtherKeysOfItsStripeAreWritten() {
        final AnswerCache<Answer> cache = new AnswerCache<>(new CacheBudget(1 << 20, clock));
        cache.offer(cache.ticket("k"), new Answer(1, T, Long.MAX_VALUE));
        // 10 000 other keys: every one of the 4 096 stripes is written, "k"'s among them.
        for (int i = 0; i < 10_000; i++) {
            cache.written("other-" + i);
        }

        assertThat(get(cache, "k", T)).as("only a write of k itself drops it").isNotNull();
        cache.written("k");
        assertThat(get(cache, "k", T)).isNull();
    }

    @Test
    void shouldServeAnAnswerFromItsReadInstantUntilItStopsHolding() {
        final AnswerCache<Answer> cache = new AnswerCache<>(new CacheBudget(1 << 20, clock));
        cache.offer(cache.ticket("k"), new Answer(1, T, T + 500));

        assertThat(get(cache, "k", T - 1)).as("before it was read").isNull();
        assertThat(get(cache, "k", T)).isNotNull();
        assertThat(get(cache, "k", T + 499)).isNotNull();
        assertThat(get(cache, "k", T + 500)).as("it stopped holding").isNull();
        assertThat(get(cache, "k", T + 1)).as("and is gone").isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(3);
    }

    @Test
    void shouldDropAnAnswerWhenItsKeyIsWrittenAndRefuseOneReadBeforeTheWrite() {
        final AnswerCache<Answer> cache = new AnswerCache<>(new CacheBudget(1 << 20, clock));
        cache.offer(cache.ticket("k"), new Answer(1, T, Long.MAX_VALUE));
        final AnswerCache.Ticket beforeWrite = cache.ticket("k");
        cache.written("k");
        assertThat(get(cache, "k", T)).isNull();

        cache.offer(beforeWrite, new Answer(1, T, Long.MAX_VALUE));

        assertThat(get(cache, "k", T)).as("read before the write: never served after it").isNull();
        assertThat(cache.size()).isZero();
        cache.offer(cache.ticket("k"), new Answer(2, T, Long.MAX_VALUE));
        assertThat(get(cache, "k", T).version()).isEqualTo(2);
    }

    @Test
    void shouldDropEveryAnswerOnAResetAndRefuseOnesReadBeforeIt() {
        final CacheBudget budget = new CacheBudget(1 << 20, clock);
        final AnswerCache<Answer> cache = new AnswerCache<>(budget);
        cache.offer(cache.ticket("a"), new Answer(1, T, Long.MAX_VALUE));
        final AnswerCache.Ticket beforeReset = cache.ticket("b");

        cache.reset();
        cache.offer(beforeReset, new Answer(1, T, Long.MAX_VALUE));

        assertThat(get(cache, "a", T)).isNull();
        assertThat(get(cache, "b", T)).isNull();
        assertThat(budget.usedBytes()).as("everything given back").isZero();
    }

    @Test
    void shouldKeepNoMoreThanItsBudgetAndSweepWhatIsNotReadToMakeRoom() throws Exception {
        final List<Runnable> sweeps = new ArrayList<>();
        final CacheBudget budget = new CacheBudget(2 * charge("a"), clock, sweeps::add);
        final AnswerCache<Answer> cache = new AnswerCache<>(budget);
        final AnswerCache<Answer> other = new AnswerCache<>(budget);
        cache.offer(cache.ticket("a"), new Answer(1, T, Long.MAX_VALUE));
        other.offer(other.ticket("b"), new Answer(1, T, T + 10));
        cache.offer(cache.ticket("c"), new Answer(1, T, Long.MAX_VALUE));
        assertThat(get(cache, "c", T)).as("over the budget: not kept").isNull();
        assertThat(budget.usedBytes()).isEqualTo(2 * charge("a"));
        assertThat(sweeps).as("a sweep was asked for").hasSize(1);

        assertThat(get(cache, "a", T)).isNotNull();
        now.set(T + 10);
        sweeps.get(0).run();

        assertThat(other.size()).as("b, in another cache of the budget, stopped holding").isZero();
        assertThat(cache.size()).as("a was read since the last sweep").isEqualTo(1);
        cache.sweep(now.get());
        assertThat(cache.size()).as("a was not read since the last sweep").isZero();
        assertThat(budget.usedBytes()).isZero();
    }

    /**
     * A writer announces writes while readers read, offer and get: once a write is announced, no
     * reader gets an answer computed from the state before it.
     */
    @Test
    void shouldNeverServeAnAnswerOlderThanAnAnnouncedWriteWhileReadsAndWritesRace() throws Exception {
        final int keys = 4;
        final AnswerCache<Answer> cache = new AnswerCache<>(new CacheBudget(1 << 20, clock));
        final AtomicLongArray stored = new AtomicLongArray(keys);
        final AtomicLongArray announced = new AtomicLongArray(keys);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<String> violation = new AtomicReference<>();
        final AtomicLong hits = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 200_000 && violation.get() == null; i++) {
                final int k = i % keys;
                stored.incrementAndGet(k);
                cache.written("key-" + k);
                announced.set(k, stored.get(k));
                if (i % 50_000 == 0) {
                    cache.reset();
                }
            }
            stop.set(true);
        }));
        for (int r = 0; r < 3; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                final ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    final int k = random.nextInt(keys);
                    final long floor = announced.get(k);
                    final Answer kept = cache.get("key-" + k, T, () -> true);
                    if (kept != null) {
                        hits.incrementAndGet();
                        if (kept.version() < floor) {
                            violation.compareAndSet(null, "key-" + k + ": served version " + kept.version()
                                    + " after version " + floor + " was announced");
                        }
                        continue;
                    }
                    final AnswerCache.Ticket ticket = cache.ticket("key-" + k);
                    final long version = stored.get(k);
                    Thread.onSpinWait();
                    cache.offer(ticket, new Answer(version, T, Long.MAX_VALUE));
                }
            }));
        }
        for (final Thread thread : threads) {
            thread.join();
        }

        assertThat(violation.get()).isNull();
        assertThat(hits.get()).as("the race was exercised with answers served").isPositive();
    }
}
