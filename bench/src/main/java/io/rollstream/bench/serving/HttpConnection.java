package io.rollstream.bench.serving;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One kept-alive HTTP/1.1 connection as a load generator uses it: a request prepared as bytes is
 * written in one go, the answer read by its {@code Content-Length} into a buffer the connection
 * reuses. No allocation per request, so the load client's own garbage collections do not show up
 * as server latency, and little CPU, which on a 2-core machine the server needs.
 */
public final class HttpConnection implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] line = new byte[8 * 1024];
    private byte[] body = new byte[64 * 1024];
    private int bodyLength;

    public HttpConnection(final String host, final int port) throws IOException {
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(30_000);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    /** {@code GET path} as request bytes. */
    public static byte[] get(final String host, final int port, final String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code POST path} with a JSON body, as request bytes. */
    public static byte[] postJson(final String host, final int port, final String path, final byte[] json) {
        final byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        final byte[] request = Arrays.copyOf(head, head.length + json.length);
        System.arraycopy(json, 0, request, head.length, json.length);
        return request;
    }

    /** Sends a prepared request and reads the whole answer; returns its status. The body stays in {@link #body()}. */
    public int exchange(final byte[] request) throws IOException {
        out.write(request);
        out.flush();
        int length = readLine();
        if (length < 12 || line[0] != 'H') {
            throw new IOException("not an HTTP answer: " + new String(line, 0, length, StandardCharsets.ISO_8859_1));
        }
        final int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        int contentLength = -1;
        boolean chunked = false;
        while ((length = readLine()) > 0) {
            if (startsWithIgnoreCase(length, "content-length:")) {
                contentLength = Integer.parseInt(new String(line, 15, length - 15, StandardCharsets.US_ASCII).trim());
            } else if (startsWithIgnoreCase(length, "transfer-encoding:")
                    && new String(line, 18, length - 18, StandardCharsets.US_ASCII).trim().equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            readChunked();
        } else if (contentLength >= 0) {
            readBody(contentLength);
        } else {
            throw new IOException("answer " + status + " has neither Content-Length nor chunked encoding");
        }
        return status;
    }

    /** The body of the last answer (valid until the next exchange). */
    public byte[] body() {
        return body;
    }

    public int bodyLength() {
        return bodyLength;
    }

    public String bodyText() {
        return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }

    private void readBody(final int length) throws IOException {
        ensure(length);
        final int read = in.readNBytes(body, 0, length);
        if (read < length) {
            throw new IOException("the server closed the connection in the middle of an answer");
        }
        bodyLength = length;
    }

    private void readChunked() throws IOException {
        bodyLength = 0;
        while (true) {
            final int length = readLine();
            final int size = Integer.parseInt(new String(line, 0, length, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            if (size == 0) {
                readLine();
                return;
            }
            ensure(bodyLength + size);
            if (in.readNBytes(body, bodyLength, size) < size) {
                throw new IOException("the server closed the connection in the middle of a chunk");
            }
            bodyLength += size;
            readLine();
        }
    }

    private void ensure(final int capacity) {
        if (body.length < capacity) {
            body = Arrays.copyOf(body, Math.max(capacity, body.length * 2));
        }
    }

    /** Reads one line (without CR LF) into {@link #line}; returns its length. */
    private int readLine() throws IOException {
        int length = 0;
        while (true) {
            final int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            if (b == '\n') {
                return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            }
            if (length == line.length) {
                throw new IOException("header line longer than " + line.length + " bytes");
            }
            line[length++] = (byte) b;
        }
    }

    private boolean startsWithIgnoreCase(final int length, final String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase(line[i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
