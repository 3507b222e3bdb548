package io.rollstream.generator;

import io.rollstream.schemas.ClickEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes the {@link ClickstreamModel}'s events to Kafka at a steady rate (or as fast as the
 * producer goes), keyed by user id, with an idempotent producer. Counts what was acknowledged and
 * what failed; never drops a failure silently.
 */
public final class GeneratorRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorRun.class);

    /**
     * @param eventsPerSecond 0 for as fast as possible
     * @param maxEvents       0 for no limit (run until closed)
     */
    public record Settings(String bootstrapServers, String topic, long seed, int users, int items,
                           double eventsPerSecond, long maxEvents) {
        public Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            if (eventsPerSecond < 0) {
                throw new IllegalArgumentException("rate must be 0 (as fast as possible) or positive, got " + eventsPerSecond);
            }
        }
    }

    private final Settings settings;
    private final KafkaProducer<String, ClickEvent> producer;
    private final ClickstreamModel model;
    private final Clock clock;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> lastError = new AtomicReference<>();
    private final CountDownLatch firstAck = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    private GeneratorRun(final Settings settings, final Serializer<ClickEvent> serializer, final Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.model = new ClickstreamModel(settings.seed(), settings.users(), settings.items());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "rollstream-generator"),
                new StringSerializer(), serializer);
        this.thread = Thread.ofPlatform().name("rollstream-generator").daemon(true).unstarted(this::run);
    }

    public static GeneratorRun start(final Settings settings, final Serializer<ClickEvent> serializer) {
        final GeneratorRun run = new GeneratorRun(settings, serializer, Clock.systemUTC());
        run.thread.start();
        return run;
    }

    private void run() {
        final long startNanos = System.nanoTime();
        final double nanosPerEvent = settings.eventsPerSecond() == 0 ? 0 : 1e9 / settings.eventsPerSecond();
        try {
            while (running && (settings.maxEvents() == 0 || sent.get() < settings.maxEvents())) {
                if (nanosPerEvent > 0) {
                    final long due = startNanos + (long) (sent.get() * nanosPerEvent);
                    final long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                }
                final ClickEvent event = model.next(Instant.now(clock));
                producer.send(new ProducerRecord<>(settings.topic(), event.getUserId(), event), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                        firstAck.countDown();
                    } else {
                        failed.incrementAndGet();
                        if (lastError.getAndSet(error) == null) {
                            LOG.warn("Generator could not publish an event: {}", error.toString());
                        }
                    }
                });
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (final RuntimeException e) {
            if (running) {
                lastError.set(e);
                LOG.error("Generator stopped: {}", e.toString(), e);
            }
        }
    }

    /** Waits until at least one event was acknowledged by Kafka. */
    public boolean awaitFirstAck(final Duration timeout) throws InterruptedException {
        return firstAck.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the run has sent {@code maxEvents} and flushed them (only for bounded runs). */
    public void awaitCompletion() throws InterruptedException {
        thread.join();
    }

    public long sent() {
        return sent.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long failed() {
        return failed.get();
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
