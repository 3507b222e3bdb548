package io.rollstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port that is free on 127.0.0.1 right now, for a child process that must be told its port up front. */
final class FreePort {

    private FreePort() {
    }

    static int onLoopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on 127.0.0.1: " + e.getMessage()
                    + ". Check that the loopback interface is up.", e);
        }
    }
}
