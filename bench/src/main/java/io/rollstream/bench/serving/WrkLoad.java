package io.rollstream.bench.serving;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * wrk (Debian's, 4.1: a closed loop, each connection sends its next request when the answer
 * arrives) with Lua scripts that pick a uniformly random user for every request, or a random one
 * of 1 000 pre-built batch bodies of 100 random users. The scripts print p50/p99/p99.9 from wrk's
 * own histogram in a line this class parses.
 */
final class WrkLoad {

    /** What wrk measured. Latencies in milliseconds. */
    record Result(long requests, double seconds, long errors, long notOk, double p50Ms, double p99Ms, double p999Ms,
                  double maxMs) {
        double qps() {
            return requests / seconds;
        }
    }

    private static final String RESULT_PRINTER = """
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("WRK_RESULT requests=%d duration_us=%d errors=%d status_errors=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d\\n",
                summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
                latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
            end
            """;

    private static final String SINGLE = """
            local n = 0
            local thread_count = 0
            local requests = {}
            function setup(thread)
              thread:set("id", thread_count)
              thread_count = thread_count + 1
            end
            function init(args)
              n = tonumber(args[1])
              math.randomseed(1000 + id)
              for u = 1, n do
                requests[u] = wrk.format("GET", string.format("/v1/features/user/user-%06d", u))
              end
            end
            function request()
              return requests[math.random(n)]
            end
            """ + RESULT_PRINTER;

    private static final String BATCH = """
            local bodies = {}
            local thread_count = 0
            function setup(thread)
              thread:set("id", thread_count)
              thread_count = thread_count + 1
            end
            function init(args)
              local n = tonumber(args[1])
              local size = tonumber(args[2])
              math.randomseed(2000 + id)
              local headers = {["Content-Type"] = "application/json"}
              for b = 1, 1000 do
                local ids = {}
                for i = 1, size do
                  ids[i] = string.format("\\"user-%06d\\"", math.random(n))
                end
                bodies[b] = wrk.format("POST", "/v1/features/user:batch", headers, "{\\"ids\\":[" .. table.concat(ids, ",") .. "]}")
              end
            end
            function request()
              return bodies[math.random(1000)]
            end
            """ + RESULT_PRINTER;

    private final Path wrk;
    private final Path scripts;

    WrkLoad(final Path wrk, final Path workDir) throws IOException {
        this.wrk = wrk;
        this.scripts = Files.createDirectories(workDir.resolve("wrk"));
        Files.writeString(scripts.resolve("single.lua"), SINGLE);
        Files.writeString(scripts.resolve("batch.lua"), BATCH);
    }

    Result single(final String url, final int users, final int threads, final int connections, final Duration duration,
                  final PrintStream progress) throws IOException, InterruptedException {
        return run(url, "single.lua", List.of(Integer.toString(users)), threads, connections, duration, progress);
    }

    Result batch(final String url, final int users, final int batchSize, final int threads, final int connections,
                 final Duration duration, final PrintStream progress) throws IOException, InterruptedException {
        return run(url, "batch.lua", List.of(Integer.toString(users), Integer.toString(batchSize)), threads, connections,
                duration, progress);
    }

    private Result run(final String url, final String script, final List<String> scriptArgs, final int threads,
                       final int connections, final Duration duration, final PrintStream progress)
            throws IOException, InterruptedException {
        final List<String> command = new java.util.ArrayList<>(List.of(wrk.toString(), "-t" + threads, "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--timeout", "5s", "-s", scripts.resolve(script).toString(), url, "--"));
        command.addAll(scriptArgs);
        progress.println("  $ " + String.join(" ", command));
        final List<String> out = Tool.run(command, duration.plusSeconds(60), progress, true);
        final String line = out.stream().filter(l -> l.startsWith("WRK_RESULT ")).reduce((a, b) -> b)
                .orElseThrow(() -> new IOException("wrk printed no result line:\n" + String.join("\n", out)));
        final Map<String, Long> values = new HashMap<>();
        for (final String pair : line.substring("WRK_RESULT ".length()).trim().split(" ")) {
            final int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return new Result(values.get("requests"), values.get("duration_us") / 1e6, values.get("errors"),
                values.get("status_errors"), values.get("p50_us") / 1e3, values.get("p99_us") / 1e3,
                values.get("p999_us") / 1e3, values.get("max_us") / 1e3);
    }
}
