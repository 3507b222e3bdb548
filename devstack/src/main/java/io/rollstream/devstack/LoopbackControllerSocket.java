package io.rollstream.devstack;

import org.apache.kafka.server.ServerSocketFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * Hands the KRaft controller a listener socket that is already bound on 127.0.0.1.
 *
 * <p>The controller's port has to be known before the node starts (it is part of
 * {@code controller.quorum.voters}). Binding it here and handing over the open socket avoids the
 * race of "find a free port, close it, hope nobody takes it". Kafka's own test kit does the same
 * but binds on the wildcard address; this stack must not be reachable from other hosts.
 * Every other listener is opened by Kafka's standard factory at the address in its config.
 */
final class LoopbackControllerSocket implements ServerSocketFactory, AutoCloseable {

    private final String listenerName;
    private final ServerSocketChannel channel;
    private boolean handedOver;

    private LoopbackControllerSocket(final String listenerName, final ServerSocketChannel channel) {
        this.listenerName = listenerName;
        this.channel = channel;
    }

    static LoopbackControllerSocket bind(final String listenerName) {
        try {
            final ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.configureBlocking(false);
                channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return new LoopbackControllerSocket(listenerName, channel);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind a socket on 127.0.0.1 for the embedded Kafka controller: "
                    + e.getMessage() + ". Check that the loopback interface is up.", e);
        }
    }

    int port() {
        return channel.socket().getLocalPort();
    }

    @Override
    public synchronized ServerSocketChannel openServerSocket(final String listener,
                                                             final InetSocketAddress socketAddress,
                                                             final int listenBacklogSize,
                                                             final int recvBufferSize) throws IOException {
        if (listenerName.equals(listener) && !handedOver) {
            handedOver = true;
            return channel;
        }
        return ServerSocketFactory.INSTANCE.openServerSocket(listener, socketAddress, listenBacklogSize, recvBufferSize);
    }

    /** Closes the socket unless Kafka took it over (then closing it is the broker's job). */
    @Override
    public synchronized void close() throws IOException {
        if (!handedOver) {
            channel.close();
        }
    }
}
