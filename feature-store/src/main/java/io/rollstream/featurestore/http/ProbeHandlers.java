package io.rollstream.featurestore.http;

import com.sun.net.httpserver.HttpHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Liveness ({@code /health}: the process can do its job, or should be restarted) and readiness
 * ({@code /ready}: send it reads now). Both answer JSON with the detail behind the verdict.
 */
final class ProbeHandlers {

    /** A verdict plus the facts that explain it. */
    record Probe(boolean ok, Map<String, Object> detail) {
    }

    private ProbeHandlers() {
    }

    static HttpHandler of(final Supplier<Probe> probe) {
        return exchange -> {
            if (!HttpResponses.requireGet(exchange)) {
                return;
            }
            final Probe result = probe.get();
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", result.ok() ? "UP" : "DOWN");
            body.putAll(result.detail());
            if (!result.ok()) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            HttpResponses.json(exchange, result.ok() ? 200 : 503, body);
        };
    }
}
