package io.rollstream.featurestore;

import io.rollstream.topologies.errors.ProcessingFailures;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What happens to a stream thread that dies: what processing throws on one record is dead-lettered
 * before it gets here, so what does is not a record's fault — the registry or a broker down, a
 * fenced producer, a store that cannot write — and the thread is replaced, to resume from its
 * tasks' last commits. Not at once: after {@link ThreadReplacementBackoff}'s wait, on the dying
 * thread (Kafka Streams calls this there, before the thread lets go of its tasks, so they pause for
 * as long), so that a fault that outlasts a restart is not met again in a tight loop. (Kafka Streams
 * 4.3 then closes the dead thread's consumer without leaving the group, so the replacement gets
 * those tasks only when that member's session times out.) Each
 * replacement is counted ({@code thread-replacements-total}, group {@value ProcessingFailures#GROUP})
 * and logged once, in one line with the cause; {@link ThreadFailureWindow} decides when they are
 * too many for the instance to be live.
 */
final class StreamThreadReplacer implements StreamsUncaughtExceptionHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadReplacer.class);

    private final ThreadReplacementBackoff backoff;
    private final ThreadFailureWindow failures;
    private final Clock clock;
    private final Sensor replacements;
    /** Released on close: a thread waiting out its backoff must not hold up the shutdown. */
    private final CountDownLatch closed = new CountDownLatch(1);

    StreamThreadReplacer(final ThreadReplacementBackoff backoff, final ThreadFailureWindow failures,
                         final Metrics metrics, final Clock clock) {
        this.backoff = backoff;
        this.failures = failures;
        this.clock = clock;
        this.replacements = metrics.sensor("thread-replacements");
        replacements.add(metrics.metricName("thread-replacements-total", ProcessingFailures.GROUP,
                "total stream threads that died and were replaced, each after a backoff"), new CumulativeSum());
        replacements.add(metrics.metricName("thread-replacements-rate", ProcessingFailures.GROUP,
                "per second, stream threads that died and were replaced"), new Rate());
        metrics.addMetric(metrics.metricName("thread-failures-in-window", ProcessingFailures.GROUP,
                        "stream thread failures within " + FeatureStoreConfig.THREAD_FAILURE_WINDOW_MS + "; at "
                                + FeatureStoreConfig.MAX_THREAD_FAILURES + " /health answers 503"),
                (Gauge<Integer>) (config, now) -> failures.failuresWithin(clock.instant()));
    }

    @Override
    public StreamThreadExceptionResponse handle(final Throwable failure) {
        final Instant now = clock.instant();
        final String cause = rootCause(failure);
        failures.failed(now, cause);
        final Duration delay = backoff.next(now);
        replacements.record();
        // One line, no stack: Kafka Streams logs the stack itself as it replaces the thread.
        LOG.error("Stream thread {} died ({}); replacing it in {}, to resume from the last commit (failure {} of {} "
                        + "within {} before /health answers 503)", Thread.currentThread().getName(), cause, delay,
                failures.failuresWithin(now), failures.maxFailures(), failures.window());
        try {
            closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Ends every wait for a replacement: the instance is shutting down and replaces nothing. */
    @Override
    public void close() {
        closed.countDown();
    }

    /** The innermost cause, class and message: Kafka Streams wraps what happened in StreamsExceptions. */
    static String rootCause(final Throwable failure) {
        Throwable root = failure;
        // Bounded: a cycle of causes would otherwise never end.
        for (int depth = 0; root.getCause() != null && depth < 20; depth++) {
            root = root.getCause();
        }
        return root == failure ? failure.toString() : root + " (in " + failure.getClass().getName() + ": "
                + failure.getMessage() + ")";
    }
}
