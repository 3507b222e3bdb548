package io.rollstream.topologies.errors;

import io.rollstream.schemas.contract.RejectReason;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What became of the records whose processing threw, for operators: each outcome counted in a
 * metric of group {@value #GROUP} (on {@code /metrics} as {@code kafka_rollstream_streams_...}) and
 * logged at most once per {@link #LOG_INTERVAL} per outcome, saying how many more there were.
 * One instance serves every task and stream thread of a Kafka Streams client: Kafka Streams makes a
 * {@link DeadLetterProcessingExceptionHandler} per task and hands each this one.
 */
public final class ProcessingFailures {

    public static final String GROUP = "rollstream-streams";
    /** Often enough to see a failure start and stop; rarely enough that a poisoned stream costs little log. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ProcessingFailures.class);

    private final Clock clock;
    private final Sensor deadLettered;
    private final Sensor skipped;
    private final Sensor taskFailures;
    private final LogThrottle deadLetteredLog = new LogThrottle(LOG_INTERVAL);
    private final LogThrottle skippedLog = new LogThrottle(LOG_INTERVAL);
    private final LogThrottle taskFailuresLog = new LogThrottle(LOG_INTERVAL);

    /** @param metrics where the counts are registered (the caller exports and closes it) */
    public ProcessingFailures(final Metrics metrics) {
        this(metrics, Clock.systemUTC());
    }

    /** @param clock the wall clock that stamps dead letters ({@code rollstream.dlq.time}) */
    public ProcessingFailures(final Metrics metrics, final Clock clock) {
        Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Named as ingest names its dead letters by reason (dead-lettered-malformed, ...).
        this.deadLettered = countAndRate(metrics, "dead-lettered-processing-failed", "records whose processing threw, "
                + "sent to the dead-letter topic as " + RejectReason.PROCESSING_FAILED + "; processing went on with the "
                + "next record");
        this.skipped = countAndRate(metrics, "processing-failures-skipped", "failures outside any input record "
                + "(a punctuation), with nothing to dead-letter: that run of the punctuation was skipped");
        this.taskFailures = countAndRate(metrics, "processing-failures-task-failed", "processing failures that were "
                + "not the record's fault (the registry down, Kafka Streams' own errors): the task failed, to be "
                + "retried from its last commit");
    }

    private static Sensor countAndRate(final Metrics metrics, final String sensor, final String description) {
        final Sensor created = metrics.sensor(sensor);
        created.add(name(metrics, sensor + "-total", "total " + description), new CumulativeSum());
        created.add(name(metrics, sensor + "-rate", "per second, " + description), new Rate());
        return created;
    }

    private static MetricName name(final Metrics metrics, final String name, final String description) {
        return metrics.metricName(name, GROUP, description);
    }

    long nowMs() {
        return clock.millis();
    }

    void deadLettered(final ErrorHandlerContext context, final Exception failure) {
        deadLettered.record();
        deadLetteredLog.tryLog(System.nanoTime()).ifPresent(pass -> log(pass, failure,
                "Dead-lettered the record at {}-{}@{} as PROCESSING_FAILED: processor {} (task {}) threw {}. "
                        + "Processing went on with the next record; fix the cause, then redrive it from the "
                        + "dead-letter topic ({} more since the last such line)",
                context.topic(), context.partition(), context.offset(), context.processorNodeId(), context.taskId(),
                DeadLetterProcessingExceptionHandler.describe(failure), pass.heldBack()));
    }

    void skipped(final ErrorHandlerContext context, final Exception failure) {
        skipped.record();
        skippedLog.tryLog(System.nanoTime()).ifPresent(pass -> log(pass, failure,
                "A punctuation of processor {} (task {}) threw {}. It had no input record to dead-letter; it runs "
                        + "again at its next schedule ({} more since the last such line)",
                context.processorNodeId(), context.taskId(), DeadLetterProcessingExceptionHandler.describe(failure),
                pass.heldBack()));
    }

    void taskFailed(final ErrorHandlerContext context, final Throwable cause) {
        taskFailures.record();
        taskFailuresLog.tryLog(System.nanoTime()).ifPresent(pass -> LOG.warn(
                "Processor {} (task {}) met {}, which is not the record's fault: failing the task, to be retried from "
                        + "its last commit instead of dead-lettering the record at {}-{}@{} ({} more since the last such line)",
                context.processorNodeId(), context.taskId(), DeadLetterProcessingExceptionHandler.describe(cause),
                context.topic(), context.partition(), context.offset(), pass.heldBack()));
    }

    /** The first line carries the stack trace, to find the bug by; later ones only say it happened again. */
    private static void log(final LogThrottle.Pass pass, final Exception failure, final String format, final Object... args) {
        if (pass.first()) {
            final Object[] withStack = Arrays.copyOf(args, args.length + 1);
            withStack[args.length] = failure;
            try {
                LOG.warn(format, withStack);
                return;
            } catch (final RuntimeException unprintable) {
                // The logger reads the exception's message and stack, which a processor's exception
                // may refuse: without it the line must still be written, and the handler go on.
            }
        }
        LOG.warn(format, args);
    }
}
