package io.rollstream.topologies.features;

import io.rollstream.engine.EntityState;
import io.rollstream.topologies.ingest.ProcessorMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Removes the entities of one store of one task that have had no event for the idle expiry: whose
 * newest event time is more than the expiry behind the task's stream time. Without it a stream of
 * ids that never come back (hostile, or just many one-off visitors) grows the store and its
 * changelog without bound.
 *
 * <p>Idleness is judged by stream time, not the wall clock, so that it follows from the records
 * alone: an offline replay of the same partition with the same admission keeps the same entities.
 * Two paths apply the one rule. An event for an entity already idle starts it over, as if it had
 * been removed; and a sweep, run once a second of wall-clock time, reads the store's records a bounded
 * stretch at a time from where the last one stopped (wrapping around) and deletes the idle
 * entities it finds, tombstones and all. Which of the two gets to an entity first thus never
 * changes its state, only when its records go; so the sweep's place is kept in memory only, and an
 * instance that opens the task (after a restart or a rebalance) sweeps from the first record.
 * Expired entities, on either path, are counted in {@code expired-entities} and summed up in a log
 * line now and then.
 */
final class IdleEntityExpiry implements Punctuator {

    /**
     * How much wall-clock time passes between sweeps. Not stream time: an instance catching up on a
     * backlog, or a replay, moves stream time by hours a second, and a sweep each second of it made
     * the engine benchmark (records stamped over 36 hours) 15 times slower — a seek and a thousand
     * reads every fifteen events. Idleness is still judged by stream time; the wall clock only paces
     * the work, which the state never depends on (an event for an idle entity starts it over).
     */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    /**
     * Records a sweep reads at least (heads and tiles alike), and so entities it deletes at most: a
     * fraction of a millisecond of iteration, and a bounded batch of tombstones, between records.
     * At one sweep a second (without new entities) a task's store of a million records is swept every 17 minutes, of a
     * hundred million in under 28 hours: how long an idle entity's records may outlive its expiry
     * (days, by default), never how long its state does.
     */
    static final int RECORDS_PER_SWEEP = 1_000;

    /**
     * A sweep reads this many records more for each entity created since the last one: sweeping
     * faster than entities are made keeps a stream of never-repeated ids from outgrowing the sweep,
     * which a fixed rate could not.
     */
    static final int RECORDS_PER_CREATED_ENTITY = 2;

    /** The most a sweep reads, however many entities were made: a sweep must stay short between records. */
    static final int MAX_RECORDS_PER_SWEEP = 100_000;

    /** How often, at most, the summary line is logged (wall clock: it is for people). */
    static final Duration LOG_INTERVAL = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(IdleEntityExpiry.class);

    private final ProcessorContext<?, ?> context;
    private final String storeName;
    private final EntityStateCacheStore store;
    private final long expiryMs;
    private final Sensor expired;
    /** Where the next sweep starts reading; null: at the first record. */
    private Bytes cursor;
    private long expiredSinceLog;
    private long expiredInAll;
    private long loggedAtMs = Long.MIN_VALUE;
    private long createdSinceSweep;

    private IdleEntityExpiry(final ProcessorContext<?, ?> context, final String storeName, final Duration expiry,
                             final String stage) {
        this.context = context;
        this.storeName = storeName;
        this.store = EntityStateCacheStore.of(context.getStateStore(storeName));
        this.expiryMs = expiry.toMillis();
        this.expired = ProcessorMetrics.rateTotal(context, stage, "expired-entities");
    }

    /**
     * Expires the idle entities of {@code storeName} from now on: sweeps are scheduled with the
     * processor's context, whose task they then run in.
     *
     * @param stage the processor, as the metric's {@code rollstream-id} tag names it
     */
    static IdleEntityExpiry start(final ProcessorContext<?, ?> context, final String storeName, final Duration expiry,
                                  final String stage) {
        final IdleEntityExpiry started = new IdleEntityExpiry(context, storeName, expiry, stage);
        context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, started);
        return started;
    }

    /**
     * Whether an entity's state, about to take an event at {@code streamTime}, has been idle longer
     * than the expiry; counted as expired when it has, for the event starts it over. Its records
     * may simply not have been swept yet: the state must not depend on how far the sweep got.
     */
    boolean expiresOnEvent(final EntityState state, final long streamTime) {
        if (state.newestEventTime() >= cutoff(streamTime)) {
            return false;
        }
        count(1);
        return true;
    }

    /** An entity was made (its first event, or its first since it expired): the next sweep reads more. */
    void created() {
        createdSinceSweep++;
    }

    /** A sweep: the next stretch of records, its idle entities deleted, judged by the task's stream time. */
    @Override
    public void punctuate(final long wallClockTime) {
        final long cutoff = cutoff(context.currentStreamTimeMs());
        final int budget = (int) Math.min(MAX_RECORDS_PER_SWEEP,
                RECORDS_PER_SWEEP + RECORDS_PER_CREATED_ENTITY * createdSinceSweep);
        createdSinceSweep = 0;
        final EntityRecordStore.IdleScan scan = store.scanIdle(cursor, budget, cutoff);
        cursor = scan.next();
        if (!scan.idle().isEmpty()) {
            count(store.deleteIdle(scan.idle(), cutoff).size());
        }
        final long now = context.currentSystemTimeMs();
        if (expiredSinceLog > 0 && (loggedAtMs == Long.MIN_VALUE || now - loggedAtMs >= LOG_INTERVAL.toMillis())) {
            LOG.info("Expired {} entities of store {} (task {}) that had no event for {} of stream time, {} since "
                            + "the task started; an expired entity reads as unknown and starts over at its next event",
                    expiredSinceLog, storeName, context.taskId(), Duration.ofMillis(expiryMs), expiredInAll);
            expiredSinceLog = 0;
            loggedAtMs = now;
        }
    }

    /** Entities whose newest event time is before this are idle; none before stream time is known. */
    private long cutoff(final long streamTime) {
        return streamTime < 0 ? Long.MIN_VALUE : streamTime - expiryMs;
    }

    private void count(final int entities) {
        // A rate-and-total sensor counts recordings, not the values recorded.
        for (int i = 0; i < entities; i++) {
            expired.record();
        }
        expiredSinceLog += entities;
        expiredInAll += entities;
    }
}
