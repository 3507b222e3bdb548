package io.rollstream.bench;

import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one application over the events topic, from its earliest offset with a fresh application
 * id and state, until it has committed {@code targetEvents} input records and drained the topics
 * it relays events through, or its time budget is spent; times it from the first record consumed
 * to the last commit observed.
 */
final class StreamsRun {

    /** How often committed offsets are read: the precision of the end of a measurement. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** No first record, or no new commit, for this long means the run is stuck, not slow. */
    private static final Duration STALL = Duration.ofMinutes(2);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * @param drainRelays whether the run is only done once the application's relay topics are
     *                    drained too: yes over the whole input, no for a bounded run (its
     *                    application keeps refilling them from input past the target)
     * @param budget      how long the run may process, counted from its first record; null to run
     *                    until {@code targetEvents} are committed
     */
    record Limits(long targetEvents, boolean drainRelays, Duration budget) {
    }

    private final StreamsSettings settings;
    private final Progress progress;

    StreamsRun(final StreamsSettings settings, final Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    Measurement measure(final StreamsApp app, final String purpose, final String guarantee, final Limits limits,
                        final long inputEvents) {
        final Variant variant = app.variant();
        final String applicationId = "rollstream-bench-" + variant.key() + "-" + purpose + "-" + RUNS.incrementAndGet();
        final FirstRecordInterceptor.Clock clock = FirstRecordInterceptor.register(applicationId);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        KafkaStreams streams = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
            final Map<TopicPartition, Long> relayStarts = RelayTopics.empty(admin, app.relayTopics());
            streams = new KafkaStreams(app.topology(), settings.properties(applicationId, guarantee, applicationId,
                    app.overrides()));
            streams.setUncaughtExceptionHandler(error -> {
                failure.compareAndSet(null, error);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            final GroupProgress group = new GroupProgress(admin, Topics.EVENTS,
                    limits.drainRelays() ? relayStarts : Map.of(), guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2));
            streams.start();
            return new Watch(variant, purpose, guarantee, applicationId, limits, clock, group, streams, failure)
                    .awaitEnd(inputEvents);
        } finally {
            if (streams != null) {
                // Bounded: a stuck application must not hang the benchmark (close() alone waits forever).
                if (streams.close(CLOSE_TIMEOUT)) {
                    streams.cleanUp();
                } else {
                    progress.say("%s did not stop within %s; its threads are abandoned", applicationId,
                            DurationText.of(CLOSE_TIMEOUT));
                }
            }
            FirstRecordInterceptor.unregister(applicationId);
            deleteState(applicationId);
        }
    }

    /** Follows one running application until it is done, stuck or failed. */
    private final class Watch {
        private final Variant variant;
        private final String purpose;
        private final String guarantee;
        private final String applicationId;
        private final Limits limits;
        private final FirstRecordInterceptor.Clock clock;
        private final GroupProgress group;
        private final KafkaStreams streams;
        private final AtomicReference<Throwable> failure;

        private Watch(final Variant variant, final String purpose, final String guarantee, final String applicationId,
                      final Limits limits, final FirstRecordInterceptor.Clock clock, final GroupProgress group,
                      final KafkaStreams streams, final AtomicReference<Throwable> failure) {
            this.variant = variant;
            this.purpose = purpose;
            this.guarantee = guarantee;
            this.applicationId = applicationId;
            this.limits = limits;
            this.clock = clock;
            this.group = group;
            this.streams = streams;
            this.failure = failure;
        }

        Measurement awaitEnd(final long inputEvents) {
            final long startNanos = System.nanoTime();
            long lastChangeNanos = startNanos;
            GroupProgress.Committed last = new GroupProgress.Committed(0, 0, Map.of());
            CpuShare.Snapshot cpuAtStart = null;
            CpuShare.Snapshot cpuAtLastChange = CpuShare.Snapshot.UNKNOWN;
            long nextProgressNanos = startNanos + PROGRESS_EVERY.toNanos();
            while (true) {
                sleep(POLL);
                final long now = System.nanoTime();
                failIfBroken();
                if (cpuAtStart == null && clock.started()) {
                    cpuAtStart = CpuShare.now();
                }
                final GroupProgress.Committed committed = group.committed(applicationId);
                if (committed.input() > last.input() || committed.relay() > last.relay()) {
                    last = committed;
                    lastChangeNanos = now;
                    cpuAtLastChange = CpuShare.now();
                }
                if (last.input() >= limits.targetEvents() && group.relayBacklog(last) == 0) {
                    break;
                }
                if (clock.started() && limits.budget() != null && now - clock.firstRecordNanos() >= limits.budget().toNanos()) {
                    break;
                }
                failIfStalled(now - lastChangeNanos, last.input());
                if (now >= nextProgressNanos && clock.started()) {
                    nextProgressNanos = now + PROGRESS_EVERY.toNanos();
                    progress.say("%s %s %s: %,d / %,d events committed, %,.0f events/s", variant.label(), guarantee, purpose,
                            last.input(), limits.targetEvents(), last.input() / ((now - clock.firstRecordNanos()) / 1e9));
                }
            }
            if (!clock.started() || last.input() == 0) {
                throw new IllegalStateException(variant.label() + " (" + guarantee + ") committed no record within its budget of "
                        + DurationText.of(limits.budget()) + "; give it a longer budget");
            }
            final CpuShare.Snapshot start = cpuAtStart == null ? CpuShare.Snapshot.UNKNOWN : cpuAtStart;
            return new Measurement(variant, guarantee, last.input(), (lastChangeNanos - clock.firstRecordNanos()) / 1e9,
                    inputEvents, CpuShare.othersBetween(start, cpuAtLastChange), CpuShare.selfSecondsBetween(start, cpuAtLastChange));
        }

        private void failIfBroken() {
            if (failure.get() != null || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException(variant.label() + " (" + guarantee + ", " + purpose + ") failed: " + failure.get()
                        + "; the stack trace is in the log (logger org.apache.kafka.streams)", failure.get());
            }
        }

        private void failIfStalled(final long nanosSinceChange, final long committed) {
            if (nanosSinceChange > STALL.toNanos()) {
                throw new IllegalStateException(variant.label() + " (" + guarantee + ", " + purpose + ") " + (clock.started()
                        ? "committed nothing new for " : "consumed no record for ") + STALL.toSeconds()
                        + " s (state " + streams.state() + ", " + committed + " input records committed); the broker or "
                        + "the application is stuck. Rerun with ROLLSTREAM_LOG_LEVEL=INFO to see why.");
            }
        }
    }

    private void deleteState(final String applicationId) {
        final Path dir = settings.stateRoot().resolve(applicationId);
        try {
            FileTrees.delete(dir);
        } catch (final IOException e) {
            progress.say("could not delete %s (%s); delete it by hand", dir, e.getMessage());
        }
    }

    private static void sleep(final Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the benchmark run", e);
        }
    }
}
