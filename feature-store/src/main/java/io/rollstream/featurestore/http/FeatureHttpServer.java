package io.rollstream.featurestore.http;

import com.sun.net.httpserver.HttpServer;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.routing.FeatureRouter;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The feature store's HTTP API: features, liveness, readiness and Prometheus metrics. Each request
 * runs on its own virtual thread, so a slow read never holds up the others.
 */
public final class FeatureHttpServer implements AutoCloseable {

    /** What the server shows; supplied by the service that owns the streams. */
    public interface Backend {
        /** The entities served, by name. */
        Map<String, ServedEntity> entities();

        FeatureRouter router();

        boolean isLive();

        boolean isReady();

        Map<String, Object> status();

        Map<MetricName, ? extends Metric> metrics();
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private FeatureHttpServer(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds the port now (so its number can be advertised to Kafka Streams before the streams
     * exist) without serving anything until {@link #start}.
     */
    public static FeatureHttpServer bind(final String host, final int port) throws IOException {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        } catch (final java.net.BindException e) {
            throw new IOException("cannot serve HTTP on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another port, or 0 for any free one", e);
        }
        return new FeatureHttpServer(server, Executors.newVirtualThreadPerTaskExecutor());
    }

    public void start(final Backend backend, final Clock clock) {
        final Supplier<ProbeHandlers.Probe> liveness = () -> new ProbeHandlers.Probe(backend.isLive(), backend.status());
        final Supplier<ProbeHandlers.Probe> readiness = () -> new ProbeHandlers.Probe(backend.isReady(), backend.status());
        server.createContext(FeaturesHandler.PREFIX, new FeaturesHandler(backend.entities(), backend.router(), clock));
        server.createContext("/health", ProbeHandlers.of(liveness));
        server.createContext("/ready", ProbeHandlers.of(readiness));
        server.createContext("/metrics", new PrometheusMetricsHandler(backend::metrics));
        server.createContext("/", exchange -> HttpResponses.error(exchange, 404, "no such resource "
                + exchange.getRequestURI().getPath() + "; try /v1/features/{entity}/{id}, /v1/features/{entity}:batch, /health, "
                + "/ready or /metrics", 0));
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
