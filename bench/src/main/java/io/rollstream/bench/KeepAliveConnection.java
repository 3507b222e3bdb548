package io.rollstream.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection posting JSON, as a load generator uses it: the request is written in
 * one go and the answer read by its {@code Content-Length}. A minimal client so that, on the machine under
 * test, the load costs as little CPU as possible (the JDK's HttpClient spends several times more per request).
 */
final class KeepAliveConnection implements AutoCloseable {

    /** Status and body of one answer. */
    record Response(int status, byte[] body) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] requestHead;

    KeepAliveConnection(final URI endpoint) throws IOException {
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 5_000);
        socket.setSoTimeout(60_000);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.requestHead = ("POST " + endpoint.getRawPath() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":"
                + endpoint.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: ")
                .getBytes(StandardCharsets.US_ASCII);
    }

    Response post(final byte[] body) throws IOException {
        final ByteArrayOutputStream request = new ByteArrayOutputStream(requestHead.length + 16 + body.length);
        request.writeBytes(requestHead);
        request.writeBytes((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        request.writeTo(out);
        out.flush();
        final String statusLine = line();
        final int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        int length = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
        }
        if (length < 0) {
            throw new IOException("answer without Content-Length: " + statusLine);
        }
        return new Response(status, in.readNBytes(length));
    }

    private String line() throws IOException {
        final StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the collector closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
