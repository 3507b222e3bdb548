package io.rollstream.featurestore.routing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedResult;
import org.apache.kafka.streams.state.HostInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards reads to other instances over their own HTTP API: a {@code POST
 * /v1/features/{entity}:batch} marked {@value #FORWARDED_HEADER}, which the receiver answers from
 * its own stores or with 503, never by forwarding again. One {@link HttpClient} for the process, so
 * connections to each peer are kept open and reused.
 */
public final class PeerClient implements Peers, AutoCloseable {

    /** Marks a request forwarded by another instance: answer it locally or not at all. */
    public static final String FORWARDED_HEADER = "X-Rollstream-Forwarded";
    /** On a forwarded request, the instant (epoch millis) the windows are anchored at, so a split batch reads one instant. */
    public static final String AS_OF_HEADER = "X-Rollstream-As-Of";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    public PeerClient(final Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
    }

    @Override
    public List<ServedResult.Relayed> read(final HostInfo host, final String entity, final List<String> ids,
                                           final FeatureSelection selection, final long asOf, final Duration timeout)
            throws PeerException {
        final String address = host.host() + ":" + host.port();
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + "/v1/features/" + entity + ":batch"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(FORWARDED_HEADER, "true")
                .header(AS_OF_HEADER, Long.toString(asOf))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(ids, selection)))
                .build();
        final HttpResponse<byte[]> response = send(request);
        if (response.statusCode() != 200) {
            throw new PeerException("answered " + response.statusCode() + ": " + errorOf(response.body()), false);
        }
        return results(response.body(), ids);
    }

    private HttpResponse<byte[]> send(final HttpRequest request) throws PeerException {
        final long start = System.nanoTime();
        try {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (final ConnectException | HttpTimeoutException e) {
                throw e;
            } catch (final IOException e) {
                // Most likely a kept-alive connection the peer had closed: one retry on a fresh
                // connection, within what is left of the timeout.
                final Duration left = request.timeout().orElseThrow().minusNanos(System.nanoTime() - start);
                if (left.toMillis() < 1) {
                    throw e;
                }
                return http.send(HttpRequest.newBuilder(request, (name, value) -> true).timeout(left).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            }
        } catch (final HttpConnectTimeoutException e) {
            throw new PeerException("is unreachable (no connection within " + millis(request) + " ms)", true);
        } catch (final HttpTimeoutException e) {
            throw new PeerException("did not answer within " + millis(request) + " ms", true);
        } catch (final IOException e) {
            throw new PeerException("is unreachable (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + ")", true);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("was not asked: interrupted", false);
        }
    }

    private static long millis(final HttpRequest request) {
        return request.timeout().map(Duration::toMillis).orElse(0L);
    }

    static byte[] body(final List<String> ids, final FeatureSelection selection) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(32 + ids.size() * 24);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("ids");
            for (final String id : ids) {
                json.writeString(id);
            }
            json.writeEndArray();
            if (!selection.all()) {
                json.writeArrayFieldStart("features");
                for (final String name : selection.names()) {
                    json.writeString(name);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The peer's results, checked to be exactly the ids asked for, in order: anything else is no answer. */
    static List<ServedResult.Relayed> results(final byte[] body, final List<String> ids)
            throws PeerException {
        final JsonNode results;
        try {
            results = JSON.readTree(body).path("results");
        } catch (final IOException e) {
            throw new PeerException("answered with a body that is not JSON (" + e.getMessage() + ")", false);
        }
        if (!results.isArray() || results.size() != ids.size()) {
            throw new PeerException("answered " + (results.isArray() ? results.size() : "no") + " results for "
                    + ids.size() + " ids", false);
        }
        final List<ServedResult.Relayed> relayed = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            final JsonNode result = results.get(i);
            if (!result.isObject() || !ids.get(i).equals(result.path("id").asText(null))) {
                throw new PeerException("answered result " + i + " for id " + result.path("id")
                        + " instead of '" + ids.get(i) + "'", false);
            }
            relayed.add(new ServedResult.Relayed(ids.get(i), result));
        }
        return relayed;
    }

    private static String errorOf(final byte[] body) {
        try {
            return JSON.readTree(body).path("error").asText("(no message)");
        } catch (final IOException e) {
            return "(no JSON error message)";
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
