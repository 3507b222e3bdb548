package io.rollstream.generator;

import io.rollstream.schemas.ClickEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes the {@link ClickstreamModel}'s events to Kafka at a steady rate (or as fast as the producer goes),
 * keyed by user id, with an idempotent producer, for a number of records or a duration or until closed. The
 * {@link FaultInjector} may replace or repeat events on the way. Counts what was sent, acknowledged and failed,
 * and each injected fault; never drops a failure silently.
 */
public final class GeneratorRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorRun.class);
    /** Pause after an event could not even be encoded (registry down), instead of spinning on the failure. */
    private static final Duration ENCODING_FAILURE_PAUSE = Duration.ofMillis(100);

    /**
     * @param eventsPerSecond 0 for as fast as possible
     * @param maxEvents       records to publish (injected duplicates and malformed records included); 0 for no limit
     * @param duration        how long to run; {@link Duration#ZERO} for no limit. With both limits, the first ends the run
     * @param faults          what to inject; {@link Faults#NONE} for a clean stream
     */
    public record Settings(String bootstrapServers, String topic, long seed, int users, int items,
                           double eventsPerSecond, long maxEvents, Duration duration, Faults faults) {
        public Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(faults, "faults");
            if (eventsPerSecond < 0) {
                throw new IllegalArgumentException("rate must be 0 (as fast as possible) or positive, got " + eventsPerSecond);
            }
            if (maxEvents < 0 || duration.isNegative()) {
                throw new IllegalArgumentException("count and duration must be 0 (no limit) or positive, got "
                        + maxEvents + " and " + duration);
            }
            if (users < 1 || items < 1) {
                throw new IllegalArgumentException("users and items must be at least 1, got " + users + " and " + items);
            }
        }

        /** A clean stream, bounded by count only. */
        public Settings(final String bootstrapServers, final String topic, final long seed, final int users,
                        final int items, final double eventsPerSecond, final long maxEvents) {
            this(bootstrapServers, topic, seed, users, items, eventsPerSecond, maxEvents, Duration.ZERO, Faults.NONE);
        }
    }

    private final Settings settings;
    private final Producer<String, byte[]> producer;
    private final Serializer<ClickEvent> serializer;
    private final ClickstreamModel model;
    private final FaultInjector faults;
    private final Clock clock;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private final AtomicReference<Exception> lastError = new AtomicReference<>();
    private final CountDownLatch firstAck = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    GeneratorRun(final Settings settings, final Producer<String, byte[]> producer,
                 final Serializer<ClickEvent> serializer, final Clock clock) {
        this.settings = settings;
        this.producer = producer;
        this.serializer = serializer;
        this.clock = clock;
        this.model = new ClickstreamModel(settings.seed(), settings.users(), settings.items());
        this.faults = new FaultInjector(settings.faults(), settings.seed());
        for (final Fault fault : Fault.values()) {
            injected.put(fault, new AtomicLong());
        }
        this.thread = Thread.ofPlatform().name("rollstream-generator").daemon(true).unstarted(this::run);
    }

    /** Starts publishing on a thread of its own; {@code serializer} writes the Confluent wire format. */
    public static GeneratorRun start(final Settings settings, final Serializer<ClickEvent> serializer) {
        final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "rollstream-generator"),
                new StringSerializer(), new ByteArraySerializer());
        final GeneratorRun run = new GeneratorRun(settings, producer, serializer, Clock.systemUTC());
        run.thread.start();
        return run;
    }

    /** For tests: runs on the calling thread until a limit is reached. */
    void runHere() {
        run();
    }

    private void run() {
        final long startNanos = System.nanoTime();
        final long endNanos = settings.duration().isZero() ? Long.MAX_VALUE : startNanos + settings.duration().toNanos();
        final double nanosPerRecord = settings.eventsPerSecond() == 0 ? 0 : 1e9 / settings.eventsPerSecond();
        final Deque<FaultInjector.Emission> pending = new ArrayDeque<>(2);
        try {
            while (running && (settings.maxEvents() == 0 || sent.get() < settings.maxEvents())
                    && System.nanoTime() < endNanos) {
                if (nanosPerRecord > 0) {
                    final long wait = startNanos + (long) (sent.get() * nanosPerRecord) - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(Math.min(wait, Math.max(1, endNanos - System.nanoTime())));
                        continue;
                    }
                }
                if (pending.isEmpty()) {
                    pending.addAll(faults.apply(model.next(Instant.now(clock))));
                }
                publish(pending.poll());
            }
            producer.flush();
        } catch (final RuntimeException e) {
            if (running) {
                lastError.set(e);
                LOG.error("Generator stopped: {}", e.toString(), e);
            }
        }
    }

    private void publish(final FaultInjector.Emission emission) {
        sent.incrementAndGet();
        injected.get(emission.fault()).incrementAndGet();
        final byte[] value;
        try {
            value = switch (emission) {
                case FaultInjector.Valid valid -> serializer.serialize(settings.topic(), valid.event());
                case FaultInjector.Garbage garbage -> garbage.value();
            };
        } catch (final RuntimeException e) {
            fail(e);
            LockSupport.parkNanos(ENCODING_FAILURE_PAUSE.toNanos());
            return;
        }
        producer.send(new ProducerRecord<>(settings.topic(), emission.key(), value), (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
                firstAck.countDown();
            } else {
                fail(error);
            }
        });
    }

    private void fail(final Exception error) {
        failed.incrementAndGet();
        if (lastError.getAndSet(error) == null) {
            LOG.warn("Generator could not publish an event: {}", error.toString());
        }
    }

    /** Waits until at least one event was acknowledged by Kafka. */
    public boolean awaitFirstAck(final Duration timeout) throws InterruptedException {
        return firstAck.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the run reached its count or duration and flushed (only for bounded runs). */
    public void awaitCompletion() throws InterruptedException {
        thread.join();
    }

    /** Records handed to the producer, faults included. */
    public long sent() {
        return sent.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    /** Records that could not be encoded or that Kafka did not acknowledge. */
    public long failed() {
        return failed.get();
    }

    /** Records sent carrying {@code fault} ({@link Fault#NONE}: plain events). */
    public long injected(final Fault fault) {
        return injected.get(fault).get();
    }

    public Exception lastError() {
        return lastError.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(3));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(3));
    }
}
