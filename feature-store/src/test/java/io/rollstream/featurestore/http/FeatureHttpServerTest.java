package io.rollstream.featurestore.http;

import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.routing.FeatureRouter;
import io.rollstream.featurestore.routing.InMemoryReplicas;
import io.rollstream.featurestore.routing.PeerClient;
import io.rollstream.featurestore.routing.ServingSettings;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static io.rollstream.featurestore.routing.InMemoryReplicas.owners;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server itself, spoken to byte by byte over a socket: what an HTTP/1.1 client may do that a
 * well-behaved library never shows (pipelining, a body over the limit, bytes that are not HTTP).
 */
class FeatureHttpServerTest {

    private static final ServedEntity USER = ServedEntity.of(UserActivityFeatures.featureSet(), "store");
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration DEADLINE = Duration.ofMillis(300);
    private static final int MAX_IDS = 5;

    private final InMemoryReplicas replicas = new InMemoryReplicas();
    private FeatureHttpServer server;
    private FeatureRouter router;
    private PeerClient peers;

    @BeforeEach
    void start() throws IOException {
        server = FeatureHttpServer.bind("127.0.0.1", 0);
        final HostInfo self = new HostInfo("127.0.0.1", server.port());
        peers = new PeerClient(Duration.ofMillis(200));
        router = new FeatureRouter(self, new ServingSettings(100, DEADLINE, Duration.ofMillis(200), MAX_IDS), replicas, peers);
        replicas.owners.put("here", owners(self));
        replicas.owners.put("nowhere-yet", KeyQueryMetadata.NOT_AVAILABLE);
        replicas.putClicks(USER.engine(), "here", 2, NOW.minusSeconds(60).toEpochMilli());
        server.start(ReadyBackend.of(USER, router), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
        router.close();
        peers.close();
    }

    @Test
    void shouldAnswerPipelinedRequestsInTheOrderTheyCameWhenTheFirstHasToWait() throws IOException {
        try (Socket socket = connect()) {
            // The batch waits out its deadline (its owner is unknown); the get behind it could be
            // answered at once, and must still come second.
            final String batch = "{\"ids\":[\"nowhere-yet\"]}";
            send(socket, "POST /v1/features/user:batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + batch.length() + "\r\n\r\n" + batch
                    + "GET /v1/features/user/here HTTP/1.1\r\nHost: x\r\n\r\n");

            final Response first = Response.read(socket.getInputStream());
            final Response second = Response.read(socket.getInputStream());

            assertThat(first.status()).isEqualTo(503);
            assertThat(first.headers()).containsEntry("retry-after", "1");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("\"id\":\"here\"").contains("\"found\":true");
        }
    }

    @Test
    void shouldKeepAConnectionOpenAcrossRequestsAndCloseItWhenAsked() throws IOException {
        try (Socket socket = connect()) {
            for (int i = 0; i < 3; i++) {
                send(socket, "GET /v1/features/user/here HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(Response.read(socket.getInputStream()).status()).isEqualTo(200);
            }
            send(socket, "GET /v1/features/user/here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            final Response last = Response.read(socket.getInputStream());
            assertThat(last.headers()).containsEntry("connection", "close");
            assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
    }

    @Test
    void shouldRefuseABodyOverTheLimitWith413SayingWhatFits() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "POST /v1/features/user:batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000000\r\n\r\n{\"ids\":[");

            final Response answer = Response.read(socket.getInputStream());

            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.body()).contains("a batch holds at most " + MAX_IDS + " ids");
        }
    }

    @Test
    void shouldAnswer400ToBytesThatAreNotHttp() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "HELLO\r\n\r\n");

            final Response answer = Response.read(socket.getInputStream());

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).contains("not valid HTTP/1.1");
            assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
    }

    @Test
    void shouldAnswerHeadWithoutABodyAndAnUnknownPathWith404NamingTheRealOnes() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "HEAD /v1/features/user/here HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");

            final Response head = Response.readHead(socket.getInputStream());
            final Response missing = Response.read(socket.getInputStream());

            assertThat(head.status()).isEqualTo(200);
            assertThat(Integer.parseInt(head.headers().get("content-length"))).isPositive();
            assertThat(missing.status()).as("read right after the head: no body came between").isEqualTo(404);
            assertThat(missing.body()).contains("no such resource /nope").contains("/v1/features/{entity}/{id}");
        }
    }

    @Test
    void shouldFreeItsPortAndThreadsWhenClosed() {
        final int port = server.port();
        server.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("rollstream-http"));
    }

    private Socket connect() throws IOException {
        final Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(final Socket socket, final String bytes) throws IOException {
        final OutputStream out = socket.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One HTTP/1.1 response read off the wire; headers by lower-case name. */
    private record Response(int status, Map<String, String> headers, String body) {

        static Response read(final InputStream in) throws IOException {
            final Response head = readHead(in);
            final byte[] body = in.readNBytes(Integer.parseInt(head.headers().get("content-length")));
            return new Response(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
        }

        /** The status line and headers only: the answer to a HEAD, or a response before its body. */
        static Response readHead(final InputStream in) throws IOException {
            final String statusLine = line(in);
            final Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                final int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, "");
        }

        private static String line(final InputStream in) throws IOException {
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the connection closed mid-response after '" + line + "'");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
