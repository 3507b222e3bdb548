package io.rollstream.featurestore.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.routing.FeatureRouter;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The feature store's HTTP API (features, liveness, readiness, Prometheus metrics) on Netty:
 * epoll where the platform has it, NIO elsewhere. A single get of a key this instance holds is
 * answered on the I/O thread that read it, with no hand-over; anything that may wait (batches,
 * forwards, retries, probes, metrics) runs on a virtual thread of its own, so a slow read never
 * holds up the others. The JDK's built-in server it replaced spent more CPU per single get than
 * reading and computing the features (docs/benchmarks.md, Serving).
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

    private static final Logger LOG = LoggerFactory.getLogger(FeatureHttpServer.class);
    /** Connections the kernel queues before they are accepted, as with the server this replaced. */
    private static final int BACKLOG = 1024;
    private static final String HINT = "/v1/features/{entity}/{id}, /v1/features/{entity}:batch, /health, /ready or /metrics";

    /** How long close waits for the I/O threads to end after their loops stopped. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final EventLoopGroup ioThreads;
    private final IoThreadFactory ioThreadFactory;
    private final Channel listener;
    private final ExecutorService waitingWork = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile HttpRoutes routes;
    private volatile FeaturesHandler features;

    private FeatureHttpServer(final EventLoopGroup ioThreads, final IoThreadFactory ioThreadFactory, final Channel listener) {
        this.ioThreads = ioThreads;
        this.ioThreadFactory = ioThreadFactory;
        this.listener = listener;
    }

    /**
     * Binds the port now (so its number can be advertised to Kafka Streams before the streams
     * exist); connections wait in the kernel's queue until {@link #start}.
     */
    public static FeatureHttpServer bind(final String host, final int port) throws IOException {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        // One I/O thread per CPU: most gets are answered on it, so it is where the work is.
        final IoThreadFactory threads = new IoThreadFactory();
        final EventLoopGroup ioThreads = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), threads, io);
        final FeatureHttpServer[] server = new FeatureHttpServer[1];
        final ServerBootstrap bootstrap = new ServerBootstrap()
                .group(ioThreads)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel connection) {
                        server[0].initConnection(connection);
                    }
                });
        try {
            final Channel listener = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
            server[0] = new FeatureHttpServer(ioThreads, threads, listener);
            LOG.info("HTTP bound to {} ({} I/O threads, {})", listener.localAddress(),
                    Runtime.getRuntime().availableProcessors(), epoll ? "epoll" : "NIO");
            return server[0];
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            ioThreads.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("interrupted while binding HTTP to " + host + ":" + port, e);
        } catch (final Exception e) {
            ioThreads.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof IOException) {
                throw new IOException("cannot serve HTTP on " + host + ":" + port + " (" + e.getMessage()
                        + "); choose another port, or 0 for any free one", e);
            }
            throw e;
        }
    }

    public void start(final Backend backend, final Clock clock) {
        final Supplier<ProbeHandlers.Probe> liveness = () -> new ProbeHandlers.Probe(backend.isLive(), backend.status());
        final Supplier<ProbeHandlers.Probe> readiness = () -> new ProbeHandlers.Probe(backend.isReady(), backend.status());
        this.features = new FeaturesHandler(backend.entities(), backend.router(), clock);
        this.routes = new HttpRoutes(List.of(
                new HttpRoutes.Route(FeaturesHandler.PREFIX, features),
                new HttpRoutes.Route("/health", ProbeHandlers.of(liveness)),
                new HttpRoutes.Route("/ready", ProbeHandlers.of(readiness)),
                new HttpRoutes.Route("/metrics", new PrometheusMetricsHandler(backend::metrics))), HINT);
        listener.config().setAutoRead(true);
    }

    private void initConnection(final SocketChannel connection) {
        final FeaturesHandler featuresHandler = features;
        connection.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpServerExpectContinueHandler())
                .addLast(new HttpObjectAggregator(featuresHandler.maxBodyBytes()) {
                    @Override
                    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized) {
                        HttpDispatcher.refuse(ctx, featuresHandler.bodyTooLarge());
                    }
                })
                .addLast(new HttpDispatcher(routes, waitingWork));
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public URI uri() {
        final InetSocketAddress address = (InetSocketAddress) listener.localAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        listener.close().syncUninterruptibly();
        ioThreads.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        waitingWork.shutdownNow();
        ioThreadFactory.awaitExit(CLOSE_TIMEOUT);
    }

    /**
     * Netty's I/O threads, remembered: the group reports itself terminated from inside each thread's
     * last moments, so a caller told "closed" could still see them alive (and a test did).
     */
    private static final class IoThreadFactory extends DefaultThreadFactory {
        private final List<Thread> started = new CopyOnWriteArrayList<>();

        IoThreadFactory() {
            super("rollstream-http", true);
        }

        @Override
        protected Thread newThread(final Runnable task, final String name) {
            final Thread thread = super.newThread(task, name);
            started.add(thread);
            return thread;
        }

        void awaitExit(final Duration timeout) {
            final long deadline = System.nanoTime() + timeout.toNanos();
            for (final Thread thread : started) {
                try {
                    thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
