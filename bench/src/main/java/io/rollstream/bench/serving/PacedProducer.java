package io.rollstream.bench.serving;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Produces pre-encoded events at a steady rate from one thread (every 200 µs it sends what is due
 * by then), after a linear ramp from 0 over {@code ramp} so that a cold JVM (JIT, empty caches)
 * does not start with a backlog it may never work off; and every {@code markerEvery} a marker
 * event for the next marker user in turn, through the same producer, so markers queue behind the
 * load exactly as any event does. A marker is handed to its listener just before it is sent, with
 * the instant of sending.
 */
final class PacedProducer implements AutoCloseable {

    /** A marker event: its user, its event time (what a read will show), and when it was produced. */
    record Marker(String user, long eventTimeMillis, long producedNanos) {
    }

    interface MarkerListener {
        void sent(Marker marker);
    }

    static final int LINGER_MS = 5;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final PreEncodedEvents events;
    private final Serializer<ClickEvent> serializer;
    private final double rate;
    private final long rampNanos;
    private final List<String> markerUsers;
    private final long markerEveryNanos;
    private final MarkerListener listener;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean markersOn = true;

    PacedProducer(final String bootstrapServers, final String topic, final PreEncodedEvents events,
                  final Serializer<ClickEvent> serializer, final double rate, final Duration ramp,
                  final List<String> markerUsers, final Duration markerEvery, final MarkerListener listener) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, LINGER_MS,
                ProducerConfig.CLIENT_ID_CONFIG, "rollstream-bench-freshness"), new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.events = events;
        this.serializer = serializer;
        this.rate = rate;
        this.rampNanos = ramp.toNanos();
        this.markerUsers = List.copyOf(markerUsers);
        this.markerEveryNanos = markerEvery.toNanos();
        this.listener = listener;
        this.thread = Thread.ofPlatform().name("bench-paced-producer").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        final long start = System.nanoTime();
        long nextMarker = start + markerEveryNanos;
        long lastMarkerTime = 0;
        int markerIndex = 0;
        long sequence = 0;
        try {
            while (running) {
                final long now = System.nanoTime();
                if (markersOn && now >= nextMarker) {
                    final String user = markerUsers.get(markerIndex++ % markerUsers.size());
                    lastMarkerTime = Math.max(System.currentTimeMillis(), lastMarkerTime + 1);
                    final byte[] value = serializer.serialize(topic, ClickEvent.newBuilder()
                            .setEventId("marker-" + markerIndex).setEventType(EventType.PAGE_VIEW).setUserId(user)
                            .setEventTime(Instant.ofEpochMilli(lastMarkerTime)).setPageUrl("https://shop.example/marker")
                            .setProperties(Map.of()).build());
                    final long producedNanos = System.nanoTime();
                    listener.sent(new Marker(user, lastMarkerTime, producedNanos));
                    send(user, value);
                    nextMarker += markerEveryNanos;
                }
                final long due = due(now - start);
                final long wallMillis = System.currentTimeMillis();
                while (sequence < due && running) {
                    send(events.key(sequence), events.value(sequence, wallMillis));
                    sequence++;
                }
                LockSupport.parkNanos(200_000);
            }
        } catch (final RuntimeException e) {
            firstFailure.compareAndSet(null, e);
        }
    }

    /** Events due {@code elapsed} after the start: the integral of a rate ramping linearly up to {@code rate}. */
    long due(final long elapsedNanos) {
        final double seconds = elapsedNanos / 1e9;
        final double ramp = rampNanos / 1e9;
        return (long) (seconds < ramp ? rate * seconds * seconds / (2 * ramp) : rate * (seconds - ramp / 2));
    }

    private void send(final String key, final byte[] value) {
        sent.incrementAndGet();
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
    }

    /** Stops sending markers (the load goes on), so the last ones can be waited for under the same load. */
    void stopMarkers() {
        markersOn = false;
    }

    long sent() {
        return sent.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long failed() {
        return failed.get();
    }

    Exception firstFailure() {
        return firstFailure.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        producer.close(Duration.ofSeconds(10));
    }
}
