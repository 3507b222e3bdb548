package io.rollstream.featurestore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON and error answers; every error body is {@code {"error": message, "status": code}}. */
final class HttpResponses {

    static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponses() {
    }

    static void json(final HttpExchange exchange, final int status, final Object body) throws IOException {
        json(exchange, status, JSON.writeValueAsBytes(body));
    }

    static void json(final HttpExchange exchange, final int status, final byte[] body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    static void error(final HttpExchange exchange, final int status, final String message, final int retryAfterSeconds)
            throws IOException {
        if (retryAfterSeconds > 0) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        json(exchange, status, body);
    }

    static void text(final HttpExchange exchange, final int status, final String contentType, final String body)
            throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** @return false (after answering 405) when the method is not GET */
    static boolean requireGet(final HttpExchange exchange) throws IOException {
        if ("GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod())) {
            return true;
        }
        return methodNotAllowed(exchange, "GET, HEAD", "GET");
    }

    /** @return false (after answering 405) when the method is not POST */
    static boolean requirePost(final HttpExchange exchange) throws IOException {
        if ("POST".equals(exchange.getRequestMethod())) {
            return true;
        }
        return methodNotAllowed(exchange, "POST", "POST");
    }

    private static boolean methodNotAllowed(final HttpExchange exchange, final String allow, final String use)
            throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        error(exchange, 405, exchange.getRequestMethod() + " is not supported on " + exchange.getRequestURI().getPath()
                + "; use " + use, 0);
        return false;
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType, final byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
