package io.rollstream.bench.serving;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline: Debian's redis-server on a free loopback port, without persistence, holding one
 * precomputed feature vector per user ({@code SET user:000000000000 <json>} for user 1, the key
 * shape redis-benchmark's {@code __rand_int__} produces with {@code -r}), read by redis-benchmark's
 * {@code GET}. Closing it shuts the server down and waits for the process to be gone.
 */
final class RedisBaseline implements AutoCloseable {

    /** What redis-benchmark measured. Latencies in milliseconds. */
    record Result(long requests, double qps, double p50Ms, double p99Ms, double p999Ms, double maxMs) {
    }

    private static final Pattern THROUGHPUT = Pattern.compile("throughput summary: ([0-9.]+) requests per second");
    private static final Pattern PERCENTILE = Pattern.compile("^([0-9.]+)% <= ([0-9.]+) milliseconds");

    private final Process server;
    private final Thread shutdownHook;
    private final int port;

    private RedisBaseline(final Process server, final int port) {
        this.server = server;
        this.port = port;
        this.shutdownHook = new Thread(() -> Tool.kill(server), "stop-redis-server");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** redis-benchmark's key for {@code user-NNNNNN}: {@code __rand_int__} is the user's index, 12 digits. */
    static String key(final int userNumber) {
        return String.format("user:%012d", userNumber - 1);
    }

    static RedisBaseline start(final Path redisServer, final PrintStream progress) throws IOException, InterruptedException {
        final int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        final List<String> command = List.of(redisServer.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning",
                "--dir", System.getProperty("java.io.tmpdir"));
        progress.println("  $ " + String.join(" ", command).replace("--save  ", "--save '' "));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        final RedisBaseline redis = new RedisBaseline(process, port);
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return redis;
            } catch (final IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    redis.close();
                    throw new IOException("redis-server did not start on 127.0.0.1:" + port
                            + (process.isAlive() ? " within 10 s" : " (exited with " + process.exitValue() + ")"));
                }
                Thread.sleep(50);
            }
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return server.pid();
    }

    /** SETs every user's value, pipelined 1 000 commands at a time. */
    void load(final int users, final IntFunction<byte[]> valueOfUser) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            final OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
            final InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            for (int first = 1; first <= users; first += 1_000) {
                final int last = Math.min(users, first + 999);
                for (int user = first; user <= last; user++) {
                    final byte[] key = key(user).getBytes(StandardCharsets.US_ASCII);
                    final byte[] value = valueOfUser.apply(user);
                    out.write(("*3\r\n$3\r\nSET\r\n$" + key.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(key);
                    out.write(("\r\n$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(value);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                for (int user = first; user <= last; user++) {
                    final String reply = readLine(in);
                    if (!reply.equals("+OK")) {
                        throw new IOException("redis-server answered SET with " + reply);
                    }
                }
            }
        }
    }

    private static String readLine(final InputStream in) throws IOException {
        final StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("redis-server closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** {@code redis-benchmark -r users -n requests -c clients -P 1 GET user:__rand_int__}. */
    Result benchmark(final Path redisBenchmark, final int users, final long requests, final int clients,
                     final PrintStream progress) throws IOException, InterruptedException {
        final List<String> command = List.of(redisBenchmark.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-r", Integer.toString(users), "-n", Long.toString(requests), "-c", Integer.toString(clients), "-P", "1",
                "GET", "user:__rand_int__");
        progress.println("  $ " + String.join(" ", command));
        final List<String> out = Tool.run(command, Duration.ofMinutes(10), progress, false);
        final Result result = parse(out, requests);
        progress.printf(Locale.ROOT, "  redis-benchmark: %.0f GET/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms%n", result.qps(),
                result.p50Ms(), result.p99Ms(), result.p999Ms());
        return result;
    }

    /** Reads redis-benchmark's (7.x) report: the throughput summary and the percentile distribution. */
    static Result parse(final List<String> out, final long requests) throws IOException {
        double qps = Double.NaN;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        double p999 = Double.NaN;
        double max = Double.NaN;
        boolean inDistribution = false;
        for (final String raw : out) {
            // Progress lines are separated by carriage returns; the summary follows the last.
            final String line = raw.substring(raw.lastIndexOf('\r') + 1).trim();
            final Matcher throughput = THROUGHPUT.matcher(line);
            if (throughput.find()) {
                qps = Double.parseDouble(throughput.group(1));
            }
            if (line.startsWith("Latency by percentile distribution")) {
                inDistribution = true;
                continue;
            }
            if (line.startsWith("Cumulative distribution")) {
                inDistribution = false;
            }
            final Matcher percentile = PERCENTILE.matcher(line);
            if (inDistribution && percentile.find()) {
                final double percent = Double.parseDouble(percentile.group(1));
                final double ms = Double.parseDouble(percentile.group(2));
                if (Double.isNaN(p50) && percent >= 50) {
                    p50 = ms;
                }
                if (Double.isNaN(p99) && percent >= 99) {
                    p99 = ms;
                }
                if (Double.isNaN(p999) && percent >= 99.9) {
                    p999 = ms;
                }
                max = ms;
            }
        }
        if (Double.isNaN(qps)) {
            throw new IOException("redis-benchmark printed no throughput summary:\n" + String.join("\n", out));
        }
        return new Result(requests, qps, p50, p99, p999, max);
    }

    @Override
    public void close() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.getOutputStream().write("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        } catch (final IOException e) {
            // not answering: killed below
        }
        try {
            if (!server.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                Tool.kill(server);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            Tool.kill(server);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (final IllegalStateException e) {
            // shutting down: the hook kills it anyway
        }
    }
}
