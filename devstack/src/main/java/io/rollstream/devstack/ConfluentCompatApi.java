package io.rollstream.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few calls the stack itself makes to the registry's Confluent-compatible API. */
final class ConfluentCompatApi implements AutoCloseable {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final String baseUrl;
    private final HttpClient http;

    ConfluentCompatApi(final String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY) // loopback; a developer's proxy settings must not apply
                .connectTimeout(Duration.ofSeconds(1))
                .build();
    }

    /** True once the API serves requests (the server accepts connections a little earlier). */
    boolean answers() throws InterruptedException {
        try {
            return send(HttpRequest.newBuilder(URI.create(baseUrl + "/subjects")).GET()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sets the global compatibility level. Apicurio stores it as its global COMPATIBILITY rule
     * (visible at {@code /apis/registry/v3/admin/rules/COMPATIBILITY}); without one it checks
     * nothing, where Confluent's default is BACKWARD.
     */
    void setGlobalCompatibility(final String level) throws IOException, InterruptedException {
        final HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/config"))
                .header("Content-Type", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}")));
        if (response.statusCode() != 200) {
            throw new IOException("PUT " + baseUrl + "/config answered " + response.statusCode() + ": " + response.body());
        }
    }

    private HttpResponse<String> send(final HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(REQUEST_TIMEOUT).header("Accept", CONTENT_TYPE).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        http.close();
    }
}
