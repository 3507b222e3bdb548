package io.rollstream.collector;

import io.rollstream.schemas.contract.ClockSkew;
import com.sun.net.httpserver.HttpServer;
import io.rollstream.collector.HttpAnswers.Answer;
import io.rollstream.publisher.EventPublisher;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP collector: {@code POST /v1/events} validates JSON events against the {@code ClickEvent} schema
 * and writes the valid ones to Kafka through an {@link EventPublisher}, answering once Kafka acknowledged
 * them; {@code GET /health} answers 200 while it runs. Each request runs on its own virtual thread, so a
 * request waiting for Kafka holds no platform thread.
 *
 * <pre>{@code
 * try (CollectorServer collector = CollectorServer.start(CollectorSettings.builder()
 *         .bootstrapServers("127.0.0.1:9092").registryUrl("http://127.0.0.1:8081").httpPort(0).build())) {
 *     URI events = collector.uri().resolve("/v1/events");
 * }
 * }</pre>
 */
public final class CollectorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorServer.class);
    /** How long close() lets requests in progress finish; they wait for Kafka at most the delivery timeout. */
    private static final int STOP_GRACE_SECONDS = 2;

    private final HttpServer server;
    private final ExecutorService executor;
    private final AutoCloseable ownedPublisher;

    private CollectorServer(final HttpServer server, final ExecutorService executor, final AutoCloseable ownedPublisher) {
        this.server = server;
        this.executor = executor;
        this.ownedPublisher = ownedPublisher;
    }

    /**
     * Starts a collector writing with its own {@link EventPublisher}: idempotent, {@code acks=all}, with the
     * settings' delivery timeout and max block, so an unreachable Kafka turns into a 503 within them.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static CollectorServer start(final CollectorSettings settings) {
        final EventPublisher publisher = publisher(settings);
        try {
            return start(settings, publisher::send, publisher);
        } catch (final RuntimeException e) {
            publisher.close(Duration.ZERO);
            throw e;
        }
    }

    /** Starts a collector writing to {@code sink}, which the caller keeps and closes (tests, embedding). */
    public static CollectorServer start(final CollectorSettings settings, final EventSink sink) {
        return start(settings, sink, null);
    }

    private static CollectorServer start(final CollectorSettings settings, final EventSink sink,
                                          final AutoCloseable ownedPublisher) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.httpHost(), settings.httpPort()), 1024);
        } catch (final BindException e) {
            throw new UncheckedIOException("Cannot listen on " + settings.httpHost() + ":" + settings.httpPort() + " ("
                    + e.getMessage() + "); choose another --http-port, or 0 for any free one", e);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot start the collector's HTTP server on " + settings.httpHost() + ":"
                    + settings.httpPort() + ": " + e.getMessage(), e);
        }
        final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.createContext(EventsHandler.PATH, new EventsHandler(settings,
                new BatchProcessor(settings, sink, Clock.systemUTC())));
        server.createContext("/health", exchange -> {
            try (exchange) {
                HttpAnswers.send(exchange, Answer.of(200, Map.of("status", "UP")));
            }
        });
        server.createContext("/", exchange -> {
            try (exchange) {
                HttpAnswers.send(exchange, Answer.error(404, "No such resource " + exchange.getRequestURI().getPath()
                        + "; events go to POST " + EventsHandler.PATH + ", liveness is GET /health", Map.of(), 0));
            }
        });
        server.setExecutor(executor);
        server.start();
        final CollectorServer collector = new CollectorServer(server, executor, ownedPublisher);
        LOG.info("Collector listening on {}, writing to {} (max {} bytes and {} events per request)", collector.uri(),
                settings.bootstrapServers() + "/" + settings.topic(), settings.maxBodyBytes(), settings.maxBatchEvents());
        return collector;
    }

    private static EventPublisher publisher(final CollectorSettings settings) {
        final long deliveryMs = settings.deliveryTimeout().toMillis();
        return EventPublisher.builder()
                .bootstrapServers(settings.bootstrapServers())
                .registryUrl(settings.registryUrl())
                .topic(settings.topic())
                // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
                .producerProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, deliveryMs / 2))
                .producerProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMs)
                .producerProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlock().toMillis())
                .producerProperty(ProducerConfig.CLIENT_ID_CONFIG, "rollstream-collector")
                .producerProperties(settings.producerProperties())
                .eventRules(new ClockSkew(settings.maxFutureSkew()), settings.eventLimits())
                .build();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port} the collector listens on. */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    /** Stops listening, lets requests in progress finish for a moment, then flushes and closes the producer. */
    @Override
    public void close() {
        server.stop(STOP_GRACE_SECONDS);
        executor.shutdownNow();
        if (ownedPublisher != null) {
            try {
                ownedPublisher.close();
            } catch (final Exception e) {
                LOG.warn("Closing the collector's publisher failed: {}", e.toString());
            }
        }
    }
}
