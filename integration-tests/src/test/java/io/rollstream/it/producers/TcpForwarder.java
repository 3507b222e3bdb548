package io.rollstream.it.producers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed address in front of a Kafka broker whose own port changes, as a DNS name or a load balancer in front
 * of a cluster's bootstrap servers: it listens on one loopback port for the whole test and forwards each
 * connection to the current target, or refuses it (closes at once) while there is none.
 *
 * <p>Kafka clients use it only to bootstrap: metadata then sends them to the broker's advertised port, and
 * when every known broker is gone they bootstrap again through it ({@code metadata.recovery.strategy=rebootstrap},
 * the default since Kafka 4.0), which is how a client finds a broker restarted on another port.
 */
final class TcpForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpForwarder.class);

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile InetSocketAddress target;

    TcpForwarder() throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-forwarder-accept").start(this::accept);
    }

    /** {@code 127.0.0.1:PORT}, the address clients are given. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Forwards new connections to {@code hostPort}, or refuses them when null. */
    void forwardTo(final String hostPort) {
        if (hostPort == null) {
            target = null;
        } else {
            final int colon = hostPort.lastIndexOf(':');
            target = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        }
        LOG.info("Forwarder {} now {}", address(), hostPort == null ? "refuses connections" : "forwards to " + hostPort);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                final Socket client = server.accept();
                final InetSocketAddress to = target;
                if (to == null) {
                    client.close();
                    continue;
                }
                Thread.ofVirtual().start(() -> connect(client, to));
            } catch (final IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("Forwarder accept failed: {}", e.toString());
                }
            }
        }
    }

    private void connect(final Socket client, final InetSocketAddress to) {
        final Socket upstream = new Socket();
        try {
            upstream.connect(to, 2_000);
        } catch (final IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        Thread.ofVirtual().start(() -> pipe(client, upstream));
        Thread.ofVirtual().start(() -> pipe(upstream, client));
    }

    private void pipe(final Socket from, final Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (final IOException e) {
            // One side went away; the finally closes the other so both ends see it.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(TcpForwarder::closeQuietly);
    }

    private static void closeQuietly(final Socket socket) {
        try {
            socket.close();
        } catch (final IOException ignored) {
            // Closing is all that is left to do.
        }
    }
}
