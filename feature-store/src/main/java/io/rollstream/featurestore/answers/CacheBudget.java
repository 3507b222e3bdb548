package io.rollstream.featurestore.answers;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes the answer caches of one instance may hold together. When it is spent, new answers are not
 * kept (reads compute them as before) until answers that stopped holding or were overwritten make
 * room: no eviction work on the read path.
 */
public final class CacheBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public CacheBudget(final long limitBytes) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("an answer cache budget is 0 (off) or more bytes, not " + limitBytes);
        }
        this.limit = limitBytes;
    }

    public boolean isOff() {
        return limit == 0;
    }

    public long limitBytes() {
        return limit;
    }

    public long usedBytes() {
        return used.get();
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
}
