package io.rollstream.collector;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.rollstream.collector.HttpAnswers.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /v1/events}: the HTTP side of a request — method, concurrency limit, content type, body size
 * and encoding — before {@link BatchProcessor} takes the events.
 */
final class EventsHandler implements HttpHandler {

    static final String PATH = "/v1/events";

    private static final Logger LOG = LoggerFactory.getLogger(EventsHandler.class);

    private final BatchProcessor processor;
    private final int maxBodyBytes;
    private final int maxConcurrentRequests;
    private final int retryAfterSeconds;
    private final Semaphore permits;

    EventsHandler(final CollectorSettings settings, final BatchProcessor processor) {
        this.processor = processor;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.maxConcurrentRequests = settings.maxConcurrentRequests();
        this.retryAfterSeconds = settings.retryAfterSeconds();
        this.permits = new Semaphore(maxConcurrentRequests);
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpAnswers.send(exchange, answer(exchange));
        } catch (final IOException e) {
            // The client hung up before its answer was written; it will resend, and ids make that safe.
            LOG.debug("Could not answer {} {}: {}", exchange.getRequestMethod(), PATH, e.toString());
        }
    }

    private Answer answer(final HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(PATH)) {
            return Answer.error(404, "No such resource " + exchange.getRequestURI().getPath() + "; events go to POST "
                    + PATH, Map.of(), 0);
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            return Answer.error(405, exchange.getRequestMethod() + " is not supported on " + PATH + "; POST events "
                    + "to it", Map.of(), 0);
        }
        if (!permits.tryAcquire()) {
            return Answer.error(503, "The collector is handling " + maxConcurrentRequests + " requests already, its "
                    + "limit; retry after Retry-After.", Map.of("retry_after_seconds", retryAfterSeconds),
                    retryAfterSeconds);
        }
        try {
            final BodyFormat format = BodyFormat.of(exchange.getRequestHeaders().getFirst("Content-Type"));
            final byte[] body = RequestBody.read(exchange.getRequestBody(), contentLength(exchange), maxBodyBytes);
            RequestBody.requireUtf8(body);
            return processor.process(body, format);
        } catch (final RequestException e) {
            return Answer.error(e.status(), e.getMessage(), e.details(), 0);
        } catch (final RuntimeException e) {
            LOG.error("Unexpected failure handling POST {}", PATH, e);
            return Answer.error(500, "The collector failed unexpectedly (" + e + "); nothing in the request "
                    + "was reported accepted. Resend it; if this repeats, the collector's log has the details.",
                    Map.of(), 0);
        } finally {
            permits.release();
        }
    }

    private static long contentLength(final HttpExchange exchange) {
        final String header = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (final NumberFormatException e) {
            return -1;
        }
    }
}
