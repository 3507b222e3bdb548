package io.rollstream.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the feature API, as a scorer would call it. */
public final class FeatureApi {

    /** Status and parsed JSON body of one answer. */
    public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    public FeatureApi(final URI base) {
        this.base = base;
    }

    public Answer get(final String rawPath) {
        try {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + rawPath))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                body = JSON.readTree(response.body());
            }
            return new Answer(response.statusCode(), body, response);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends the request line byte for byte, for paths a URI class refuses to build (malformed
     * percent-escapes), and returns the status code of the answer.
     */
    public int rawGetStatus(final String rawPath) {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            final String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode features(final String entity, final String id) {
        final Answer answer = get("/v1/features/" + entity + "/" + id);
        if (answer.status() != 200) {
            throw new AssertionError("GET features of " + entity + "/" + id + " answered " + answer.status() + ": "
                    + answer.raw().body());
        }
        return answer.body();
    }
}
