package io.rollstream.featurestore.http;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an endpoint answers: status, content type, the few extra headers the API uses
 * ({@code Retry-After}, {@code Allow}) and the body. Every error body is
 * {@code {"error": message, "status": code}}.
 */
record ApiAnswer(int status, String contentType, Map<String, String> headers, byte[] body) {

    static final String JSON_TYPE = "application/json";

    static ApiAnswer json(final int status, final byte[] body) {
        return new ApiAnswer(status, JSON_TYPE, Map.of(), body);
    }

    static ApiAnswer json(final int status, final Object body) {
        try {
            return json(status, HttpResponses.JSON.writeValueAsBytes(body));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer as JSON: " + e.getMessage(), e);
        }
    }

    static ApiAnswer text(final int status, final String contentType, final String body) {
        return new ApiAnswer(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    static ApiAnswer error(final int status, final String message) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        return json(status, body);
    }

    /** An error the client should retry after {@code retryAfterSeconds} (none when 0). */
    static ApiAnswer error(final int status, final String message, final int retryAfterSeconds) {
        final ApiAnswer answer = error(status, message);
        return retryAfterSeconds > 0 ? answer.withHeader("Retry-After", Integer.toString(retryAfterSeconds)) : answer;
    }

    ApiAnswer withHeader(final String name, final String value) {
        final Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiAnswer(status, contentType, Map.copyOf(more), body);
    }
}
