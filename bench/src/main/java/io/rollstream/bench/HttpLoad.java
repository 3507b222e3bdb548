package io.rollstream.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Posts request bodies to a collector over several kept-alive connections, one virtual thread each, taking
 * the next body as soon as the previous was answered (a closed loop: the collector's answer time sets the
 * pace). Counts accepted events from 200 answers; a 503 is retried after a pause, as a client would; any
 * other answer stops the run, since the benchmark's events are all valid.
 */
final class HttpLoad {

    private static final Duration BACKOFF = Duration.ofMillis(100);
    private static final byte[] ACCEPTED = "{\"accepted\":".getBytes(StandardCharsets.US_ASCII);

    private final URI endpoint;
    private final int connections;

    HttpLoad(final URI endpoint, final int connections) {
        this.endpoint = endpoint;
        this.connections = connections;
    }

    /** What a run did: events the collector accepted, and 503s it answered on the way. */
    record Result(long accepted, long unavailable) {
    }

    Result post(final List<byte[]> bodies) throws InterruptedException {
        final AtomicInteger next = new AtomicInteger();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>(connections);
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofVirtual().name("bench-load-" + c).start(() -> {
                try (KeepAliveConnection connection = new KeepAliveConnection(endpoint)) {
                    for (int i = next.getAndIncrement(); i < bodies.size() && failure.get() == null; i = next.getAndIncrement()) {
                        accepted.addAndGet(postUntilAccepted(connection, bodies.get(i), unavailable));
                    }
                } catch (final Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (final Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("The load client failed: " + failure.get().getMessage(), failure.get());
        }
        return new Result(accepted.get(), unavailable.get());
    }

    private static long postUntilAccepted(final KeepAliveConnection connection, final byte[] body,
                                          final AtomicLong unavailable) throws IOException, InterruptedException {
        while (true) {
            final KeepAliveConnection.Response response = connection.post(body);
            if (response.status() == 200) {
                return acceptedCount(response.body());
            }
            if (response.status() != 503) {
                throw new IOException("the collector answered " + response.status() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            unavailable.incrementAndGet();
            Thread.sleep(BACKOFF);
        }
    }

    /** N from a body starting {@code {"accepted":N,}: the collector's own count, not the client's assumption. */
    private static long acceptedCount(final byte[] body) throws IOException {
        for (int i = 0; i < ACCEPTED.length; i++) {
            if (i >= body.length || body[i] != ACCEPTED[i]) {
                throw new IOException("unexpected 200 answer: " + new String(body, StandardCharsets.UTF_8));
            }
        }
        long count = 0;
        for (int i = ACCEPTED.length; i < body.length && Character.isDigit(body[i]); i++) {
            count = count * 10 + (body[i] - '0');
        }
        return count;
    }
}
