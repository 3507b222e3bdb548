package io.rollstream.devstack;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Checks that a server on this machine cannot be reached through its other network interfaces. */
final class Loopback {

    private Loopback() {
    }

    static void assertUnreachableFromOtherInterfaces(final int port) throws Exception {
        final Optional<InetAddress> otherAddress = nonLoopbackAddress();
        assumeThat(otherAddress).as("a non-loopback IPv4 address on this machine").isPresent();
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(otherAddress.get(), port), 2_000))
                    .as("connecting to %s:%d", otherAddress.get().getHostAddress(), port)
                    .isInstanceOf(SocketException.class);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(Loopback::isUpAndNotLoopback)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address)
                .findFirst();
    }

    private static boolean isUpAndNotLoopback(final NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
