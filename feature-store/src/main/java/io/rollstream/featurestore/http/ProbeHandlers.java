package io.rollstream.featurestore.http;

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

    static Endpoint of(final Supplier<Probe> probe) {
        return request -> {
            final ApiAnswer wrongMethod = HttpResponses.unlessGet(request);
            if (wrongMethod != null) {
                return wrongMethod;
            }
            final Probe result = probe.get();
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", result.ok() ? "UP" : "DOWN");
            body.putAll(result.detail());
            final ApiAnswer answer = ApiAnswer.json(result.ok() ? 200 : 503, body);
            return result.ok() ? answer : answer.withHeader("Retry-After", "1");
        };
    }
}
