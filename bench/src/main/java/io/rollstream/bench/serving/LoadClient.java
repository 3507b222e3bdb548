package io.rollstream.bench.serving;

import io.rollstream.generator.ClickstreamModel;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The Java load client, run as a process of its own (so its CPU and its garbage are not the
 * server's): single gets, batches or Redis {@code GET}s of uniformly random users over kept-alive
 * connections, one platform thread each.
 *
 * <p>With {@code --rate} it is an open loop, as wrk2 is: request {@code i} is due at
 * {@code start + i / rate}, spread over the connections in turn. A request sent late because the
 * previous answer on its connection came after its due time is timed from its due time, so a
 * stall counts against every request it delayed (no coordinated omission); one sent on time is
 * timed from when it left, so the client's own timer slack is not counted. Without {@code --rate}
 * it is a closed loop: each connection sends its next request as soon as the answer arrives.
 *
 * <p>Progress goes to stderr every 5 s; the result is the last line on stdout,
 * {@code RESULT key=value ...}.
 */
public final class LoadClient {

    /** What one request is: how to write it and how to read its answer. */
    private interface Connection extends AutoCloseable {
        /** @return whether the answer was the expected one (200, or a Redis value) */
        boolean call(byte[] request) throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Map<String, String> args;
    private final String kind;
    private final String host;
    private final int port;
    private final double rate;
    private final int connections;
    private final long warmupNanos;
    private final long durationNanos;
    private final byte[][] requests;
    private final LongAdder completed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder notOk = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    private LoadClient(final Map<String, String> args) {
        this.args = args;
        this.kind = required("kind");
        this.host = args.getOrDefault("host", "127.0.0.1");
        this.port = Integer.parseInt(required("port"));
        this.rate = Double.parseDouble(args.getOrDefault("rate", "0"));
        this.connections = Integer.parseInt(args.getOrDefault("connections", "32"));
        this.warmupNanos = (long) (Double.parseDouble(args.getOrDefault("warmup-s", "0")) * 1e9);
        this.durationNanos = (long) (Double.parseDouble(required("duration-s")) * 1e9);
        this.requests = requests();
    }

    public static void main(final String[] argv) throws Exception {
        final Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + argv[i]);
            }
            args.put(argv[i].substring(2), argv[i + 1]);
        }
        System.out.println(new LoadClient(args).run());
        System.out.flush();
        System.exit(0);
    }

    private String required(final String name) {
        final String value = args.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** Every request the run picks from, prepared as bytes so that sending costs a copy, not a format. */
    private byte[][] requests() {
        final int users = Integer.parseInt(args.getOrDefault("users", "100000"));
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args.getOrDefault("seed", "7")));
        return switch (kind) {
            case "single" -> {
                final byte[][] all = new byte[users][];
                for (int u = 0; u < users; u++) {
                    all[u] = HttpConnection.get(host, port, "/v1/features/user/" + ClickstreamModel.userId(u + 1));
                }
                yield all;
            }
            case "batch" -> {
                final int size = Integer.parseInt(args.getOrDefault("batch-size", "100"));
                final byte[][] all = new byte[2_000][];
                for (int b = 0; b < all.length; b++) {
                    final StringBuilder json = new StringBuilder(size * 16).append("{\"ids\":[");
                    for (int i = 0; i < size; i++) {
                        json.append(i == 0 ? "\"" : ",\"").append(ClickstreamModel.userId(1 + random.nextInt(users))).append('"');
                    }
                    all[b] = HttpConnection.postJson(host, port, "/v1/features/user:batch",
                            json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
                }
                yield all;
            }
            case "redis" -> {
                final byte[][] all = new byte[users][];
                for (int u = 0; u < users; u++) {
                    final String key = RedisBaseline.key(u + 1);
                    all[u] = ("*2\r\n$3\r\nGET\r\n$" + key.length() + "\r\n" + key + "\r\n").getBytes(StandardCharsets.US_ASCII);
                }
                yield all;
            }
            default -> throw new IllegalArgumentException("--kind must be single, batch or redis, not " + kind);
        };
    }

    private Connection connect() throws IOException {
        if (kind.equals("redis")) {
            return new RespConnection(host, port);
        }
        final HttpConnection http = new HttpConnection(host, port);
        return new Connection() {
            @Override
            public boolean call(final byte[] request) throws IOException {
                return http.exchange(request) == 200;
            }

            @Override
            public void close() throws IOException {
                http.close();
            }
        };
    }

    private String run() throws InterruptedException {
        final long start = System.nanoTime() + 200_000_000L;
        final long measureFrom = start + warmupNanos;
        final long end = measureFrom + durationNanos;
        final List<Latencies> recorded = new ArrayList<>(connections);
        final List<Thread> threads = new ArrayList<>(connections);
        final int expected = (int) Math.min(50_000_000, (rate > 0 ? rate : 50_000) * (durationNanos / 1e9) / connections * 1.3);
        for (int c = 0; c < connections; c++) {
            final Latencies latencies = new Latencies(expected);
            recorded.add(latencies);
            final int index = c;
            threads.add(Thread.ofPlatform().name("load-" + c).daemon(true).start(() ->
                    drive(index, start, measureFrom, end, latencies)));
        }
        final Thread progress = Thread.ofPlatform().name("load-progress").daemon(true).start(() -> report(start, end));
        for (final Thread thread : threads) {
            thread.join();
        }
        progress.interrupt();
        final Latencies.Summary summary = Latencies.summarize(recorded);
        final double seconds = durationNanos / 1e9;
        final StringBuilder result = new StringBuilder("RESULT");
        put(result, "kind", kind);
        put(result, "mode", rate > 0 ? "open" : "closed");
        put(result, "target_rate", String.format(Locale.ROOT, "%.0f", rate));
        put(result, "connections", Integer.toString(connections));
        put(result, "requests", Long.toString(summary.count()));
        put(result, "completed", Long.toString(completed.sum()));
        put(result, "seconds", String.format(Locale.ROOT, "%.1f", seconds));
        put(result, "qps", String.format(Locale.ROOT, "%.1f", summary.count() / seconds));
        put(result, "errors", Long.toString(errors.sum()));
        put(result, "not_ok", Long.toString(notOk.sum()));
        put(result, "late", Long.toString(late.sum()));
        put(result, "mean_ms", ms(summary.meanMs()));
        put(result, "p50_ms", ms(summary.p50Ms()));
        put(result, "p90_ms", ms(summary.p90Ms()));
        put(result, "p99_ms", ms(summary.p99Ms()));
        put(result, "p999_ms", ms(summary.p999Ms()));
        put(result, "max_ms", ms(summary.maxMs()));
        if (firstError.get() != null) {
            put(result, "first_error", firstError.get().replaceAll("\\s+", "_"));
        }
        return result.toString();
    }

    private static String ms(final double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static void put(final StringBuilder line, final String key, final String value) {
        line.append(' ').append(key).append('=').append(value);
    }

    private void drive(final int index, final long start, final long measureFrom, final long end, final Latencies latencies) {
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args.getOrDefault("seed", "7")) * 1_000 + index);
        final double period = rate > 0 ? 1e9 / rate : 0;
        Connection connection = null;
        long readyAt = start;
        try {
            for (long k = 0; ; k++) {
                final long due = rate > 0 ? start + (long) ((index + k * connections) * period) : 0;
                if (rate > 0 && due >= end) {
                    break;
                }
                long now = System.nanoTime();
                if (rate == 0 && now >= end) {
                    break;
                }
                if (rate > 0) {
                    while (now < due) {
                        LockSupport.parkNanos(due - now);
                        now = System.nanoTime();
                    }
                } else if (now < start) {
                    LockSupport.parkNanos(start - now);
                }
                final byte[] request = requests[random.nextInt(requests.length)];
                final boolean behind = rate > 0 && readyAt > due;
                final long sent = System.nanoTime();
                boolean ok;
                try {
                    if (connection == null) {
                        connection = connect();
                    }
                    ok = connection.call(request);
                } catch (final IOException e) {
                    errors.increment();
                    firstError.compareAndSet(null, e.toString());
                    closeQuietly(connection);
                    connection = null;
                    ok = false;
                }
                final long done = System.nanoTime();
                readyAt = done;
                if (!ok) {
                    notOk.increment();
                }
                completed.increment();
                final long from = behind ? due : sent;
                if ((rate > 0 ? due : sent) >= measureFrom) {
                    latencies.record(done - from);
                    if (behind) {
                        late.increment();
                    }
                }
            }
        } finally {
            closeQuietly(connection);
        }
    }

    private void report(final long start, final long end) {
        long last = 0;
        long lastAt = System.nanoTime();
        try {
            while (true) {
                Thread.sleep(5_000);
                final long now = System.nanoTime();
                final long done = completed.sum();
                System.err.printf(Locale.ROOT, "  load %s %s: %.0f s, %.0f req/s, errors %d, not ok %d%n", kind,
                        rate > 0 ? String.format(Locale.ROOT, "at %.0f/s", rate) : "closed loop",
                        (now - start) / 1e9, (done - last) / ((now - lastAt) / 1e9), errors.sum(), notOk.sum());
                System.err.flush();
                last = done;
                lastAt = now;
                if (now > end) {
                    return;
                }
            }
        } catch (final InterruptedException e) {
            // the run is over
        }
    }

    private static void closeQuietly(final Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (final IOException e) {
                // already broken
            }
        }
    }

    /** One Redis connection: RESP commands, bulk-string answers read into a reused buffer. */
    private static final class RespConnection implements Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private byte[] buffer = new byte[64 * 1024];

        RespConnection(final String host, final int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        }

        @Override
        public boolean call(final byte[] request) throws IOException {
            out.write(request);
            out.flush();
            final int type = in.read();
            long length = 0;
            boolean negative = false;
            for (int b = in.read(); b != '\r'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("Redis closed the connection");
                }
                if (b == '-') {
                    negative = true;
                } else if (type == '$') {
                    length = length * 10 + (b - '0');
                }
            }
            in.read(); // \n
            if (type != '$') {
                return false; // an error or another reply type
            }
            if (negative) {
                return false; // nil: the key is missing
            }
            if (buffer.length < length + 2) {
                buffer = new byte[(int) length + 2];
            }
            if (in.readNBytes(buffer, 0, (int) length + 2) < length + 2) {
                throw new IOException("Redis closed the connection in the middle of a value");
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
