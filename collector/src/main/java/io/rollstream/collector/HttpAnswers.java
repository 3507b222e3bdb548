package io.rollstream.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the collector's JSON answers; every error body is {@code {"error": message, "status": code, ...}}. */
final class HttpAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpAnswers() {
    }

    /** A status and a JSON body, with a {@code Retry-After} when {@code retryAfterSeconds} is positive. */
    record Answer(int status, Map<String, Object> body, int retryAfterSeconds) {

        static Answer of(final int status, final Map<String, Object> body) {
            return new Answer(status, body, 0);
        }

        static Answer error(final int status, final String message, final Map<String, Object> details,
                            final int retryAfterSeconds) {
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            body.put("status", status);
            body.putAll(details);
            return new Answer(status, body, retryAfterSeconds);
        }
    }

    static void send(final HttpExchange exchange, final Answer answer) throws IOException {
        final byte[] bytes = JSON.writeValueAsBytes(answer.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (answer.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(answer.retryAfterSeconds()));
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
