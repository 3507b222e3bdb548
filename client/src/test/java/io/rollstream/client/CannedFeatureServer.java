package io.rollstream.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A JDK HTTP server on 127.0.0.1 that answers what its {@link Responder} says and records every
 * request: enough to test the client's HTTP behaviour without a running Rollstream.
 */
final class CannedFeatureServer implements AutoCloseable {

    record Request(String method, String rawPath, String rawQuery, String body, int remotePort) {

        /** The last path segment, percent-decoded as the feature store decodes an id. */
        String decodedLastSegment() {
            final String segment = rawPath.substring(rawPath.lastIndexOf('/') + 1);
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }

    record Answer(int status, String body, Map<String, String> headers) {

        static Answer ok(final String json) {
            return new Answer(200, json, Map.of());
        }

        static Answer error(final int status, final String message) {
            return new Answer(status, errorBody(status, message), Map.of());
        }

        static Answer unavailable(final int retryAfterSeconds, final String message) {
            return new Answer(503, errorBody(503, message), Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
        }

        private static String errorBody(final int status, final String message) {
            return "{\"error\":\"" + message.replace("\"", "\\\"") + "\",\"status\":" + status + "}";
        }
    }

    @FunctionalInterface
    interface Responder {
        Answer answer(Request request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private CannedFeatureServer(final Responder responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, responder));
        server.start();
    }

    static CannedFeatureServer start(final Responder responder) {
        try {
            return new CannedFeatureServer(responder);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server following the contract: a vector for any user id, batch results in the order asked. */
    static CannedFeatureServer followingContract() {
        return start(CannedFeatureServer::contractAnswer);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** A URL nothing listens on: a port the system handed out and that was closed again. */
    static String refusingBaseUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer contractAnswer(final Request request) {
        if (request.method().equals("POST") && request.rawPath().equals("/v1/features/user:batch")) {
            final List<String> ids = idsOf(request.body());
            return Answer.ok("{\"entity\":\"user\",\"as_of\":\"2026-11-21T05:27:54.810Z\",\"results\":["
                    + ids.stream().map(CannedFeatureServer::result).collect(Collectors.joining(",")) + "]}");
        }
        if (request.method().equals("GET") && request.rawPath().startsWith("/v1/features/user/")) {
            return Answer.ok("{\"entity\":\"user\",\"as_of\":\"2026-11-21T05:27:54.810Z\","
                    + result(request.decodedLastSegment()).substring(1));
        }
        return Answer.error(404, "no such resource " + request.rawPath());
    }

    static String result(final String id) {
        return "{\"id\":\"" + id.replace("\"", "\\\"") + "\",\"found\":true,\"stale\":false,"
                + "\"served_by\":\"127.0.0.1:8080\",\"newest_event_time\":\"2026-11-21T05:27:50.000Z\","
                + "\"lag_records\":0,\"features\":{\"views_1h\":3,\"ctr_24h\":0.25,"
                + "\"last_viewed_items\":[\"item-1\",\"item-2\"],"
                + "\"top_categories_7d\":[{\"value\":\"books\",\"count\":4}],"
                + "\"p90_viewed_price_7d\":148.05,\"last_search_query\":\"red shoes\",\"avg_price_1h\":null}}";
    }

    /** The ids of a batch body; the tests' ids hold no quotes or commas, so a split is enough. */
    static List<String> idsOf(final String body) {
        final String ids = body.substring(body.indexOf('[') + 1, body.indexOf(']'));
        return ids.isEmpty() ? List.of()
                : List.of(ids.split(",")).stream().map(id -> id.substring(1, id.length() - 1)).toList();
    }

    private void serve(final HttpExchange exchange, final Responder responder) throws IOException {
        try (exchange) {
            final Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRemoteAddress().getPort());
            requests.add(request);
            Answer answer;
            try {
                answer = responder.answer(request);
            } catch (final Exception e) {
                answer = Answer.error(500, "canned server failed: " + e);
            }
            final byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
