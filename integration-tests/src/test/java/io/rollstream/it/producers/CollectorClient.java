package io.rollstream.it.producers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Posts events to a collector as any HTTP client would, and reads its JSON answers. */
final class CollectorClient {

    /** Status, Retry-After (0 when absent) and JSON body of one answer. */
    record Answer(int status, int retryAfterSeconds, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI events;

    CollectorClient(final URI collector) {
        this.events = collector.resolve("/v1/events");
    }

    Answer post(final String contentType, final String body) {
        try {
            final HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(events)
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(),
                    response.headers().firstValue("Retry-After").map(Integer::parseInt).orElse(0),
                    JSON.readTree(response.body()));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts until the collector answers anything but 503, waiting Retry-After in between, as a client should. */
    Answer postRetrying(final String contentType, final String body, final Duration deadline) throws InterruptedException {
        final long end = System.nanoTime() + deadline.toNanos();
        Answer answer = post(contentType, body);
        while (answer.status() == 503 && System.nanoTime() < end) {
            Thread.sleep(Duration.ofSeconds(Math.max(1, answer.retryAfterSeconds())));
            answer = post(contentType, body);
        }
        return answer;
    }
}
