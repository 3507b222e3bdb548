package io.rollstream.bench.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the marker users over and over (one batch request for all of them, only
 * {@code last_event_time}, every {@code pollEvery}) and, when a read shows a marker's event time,
 * records its freshness: from the moment it was produced to the moment that read's answer arrived.
 * The figure is an upper bound by at most one poll interval plus one read.
 */
final class MarkerProbe implements PacedProducer.MarkerListener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI api;
    private final byte[] request;
    private final long pollEveryNanos;
    private final Map<String, Deque<PacedProducer.Marker>> pending = new HashMap<>();
    private final Latencies measured = new Latencies(4_096);
    private final Map<String, Latencies> measuredByUser = new HashMap<>();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong pollFailures = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Thread thread;
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile boolean running = true;

    MarkerProbe(final URI api, final List<String> markerUsers, final long pollEveryNanos) {
        this.api = api;
        final StringBuilder body = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < markerUsers.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(markerUsers.get(i)).append('"');
            pending.put(markerUsers.get(i), new ArrayDeque<>());
            measuredByUser.put(markerUsers.get(i), new Latencies(1_024));
        }
        body.append("],\"features\":[\"last_event_time\"]}");
        this.request = HttpConnection.postJson(api.getHost(), api.getPort(), "/v1/features/user:batch",
                body.toString().getBytes(StandardCharsets.UTF_8));
        this.pollEveryNanos = pollEveryNanos;
        this.thread = Thread.ofPlatform().name("bench-marker-probe").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Markers produced from now on count; earlier ones (the warm-up) are seen but not recorded. */
    void measureFromNow() {
        measureFromNanos = System.nanoTime();
    }

    @Override
    public synchronized void sent(final PacedProducer.Marker marker) {
        pending.get(marker.user()).addLast(marker);
    }

    /** Markers produced but not yet seen by a read. */
    synchronized int pendingCount() {
        int count = 0;
        for (final Deque<PacedProducer.Marker> markers : pending.values()) {
            count += markers.size();
        }
        return count;
    }

    /** The oldest unseen marker's age, in milliseconds; 0 when none is pending. */
    synchronized double oldestPendingMs() {
        long oldest = Long.MAX_VALUE;
        for (final Deque<PacedProducer.Marker> markers : pending.values()) {
            if (!markers.isEmpty()) {
                oldest = Math.min(oldest, markers.peekFirst().producedNanos());
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : (System.nanoTime() - oldest) / 1e6;
    }

    synchronized Latencies.Summary summary() {
        return Latencies.summarize(List.of(measured));
    }

    /** The freshness of one marker user's markers (one user per partition). */
    synchronized Latencies.Summary summary(final String user) {
        return Latencies.summarize(List.of(measuredByUser.get(user)));
    }

    long polls() {
        return polls.get();
    }

    long pollFailures() {
        return pollFailures.get();
    }

    String firstFailure() {
        return firstFailure.get();
    }

    private void run() {
        HttpConnection http = null;
        while (running) {
            final long started = System.nanoTime();
            try {
                if (http == null) {
                    http = new HttpConnection(api.getHost(), api.getPort());
                }
                final int status = http.exchange(request);
                final long answered = System.nanoTime();
                polls.incrementAndGet();
                if (status == 200) {
                    seen(JSON.readTree(http.body(), 0, http.bodyLength()), answered);
                } else {
                    pollFailures.incrementAndGet();
                    firstFailure.compareAndSet(null, "HTTP " + status + ": " + http.bodyText());
                }
            } catch (final IOException | RuntimeException e) {
                pollFailures.incrementAndGet();
                firstFailure.compareAndSet(null, e.toString());
                if (http != null) {
                    try {
                        http.close();
                    } catch (final IOException ignored) {
                        // broken anyway
                    }
                    http = null;
                }
            }
            final long wait = started + pollEveryNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        if (http != null) {
            try {
                http.close();
            } catch (final IOException ignored) {
                // closing
            }
        }
    }

    private synchronized void seen(final JsonNode answer, final long answeredNanos) {
        for (final JsonNode result : answer.path("results")) {
            final JsonNode newest = result.path("features").path("last_event_time");
            if (!newest.isNumber()) {
                continue;
            }
            final Deque<PacedProducer.Marker> markers = pending.get(result.path("id").asText());
            while (markers != null && !markers.isEmpty() && markers.peekFirst().eventTimeMillis() <= newest.asLong()) {
                final PacedProducer.Marker marker = markers.pollFirst();
                if (marker.producedNanos() >= measureFromNanos) {
                    measured.record(answeredNanos - marker.producedNanos());
                    measuredByUser.get(marker.user()).record(answeredNanos - marker.producedNanos());
                }
            }
        }
    }

    /** Markers that will never be recorded as seen: produced in the measured window, still pending. */
    synchronized List<PacedProducer.Marker> unseen() {
        final List<PacedProducer.Marker> unseen = new ArrayList<>();
        for (final Deque<PacedProducer.Marker> markers : pending.values()) {
            for (final PacedProducer.Marker marker : markers) {
                if (marker.producedNanos() >= measureFromNanos) {
                    unseen.add(marker);
                }
            }
        }
        return unseen;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
