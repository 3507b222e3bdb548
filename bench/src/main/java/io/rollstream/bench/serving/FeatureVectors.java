package io.rollstream.bench.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollstream.generator.ClickstreamModel;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Every user's answer as the feature store gives it, read through the batch endpoint (1 000 ids a
 * request) and rewritten in the shape of a single get's answer ({@code entity}, {@code id},
 * {@code as_of}, then the rest): the value Redis stores for the baseline, so both serve the same
 * bytes. Reading them also proves every user has state ({@code found: true}).
 */
final class FeatureVectors {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answers by user number (index 0 is user 1), and how many users were found. */
    record Snapshot(byte[][] values, int found, double meanBytes) {
    }

    private FeatureVectors() {
    }

    static Snapshot read(final URI api, final int users) throws IOException {
        final byte[][] values = new byte[users][];
        int found = 0;
        long bytes = 0;
        try (HttpConnection http = new HttpConnection(api.getHost(), api.getPort())) {
            for (int first = 1; first <= users; first += 1_000) {
                final int last = Math.min(users, first + 999);
                final StringBuilder body = new StringBuilder(16 * 1_000).append("{\"ids\":[");
                for (int user = first; user <= last; user++) {
                    body.append(user == first ? "\"" : ",\"").append(ClickstreamModel.userId(user)).append('"');
                }
                final int status = http.exchange(HttpConnection.postJson(api.getHost(), api.getPort(), "/v1/features/user:batch",
                        body.append("]}").toString().getBytes(StandardCharsets.UTF_8)));
                if (status != 200) {
                    throw new IOException("the batch read of users " + first + ".." + last + " answered " + status + ": "
                            + http.bodyText());
                }
                final JsonNode answer = JSON.readTree(http.body(), 0, http.bodyLength());
                final String asOf = answer.get("as_of").asText();
                final JsonNode results = answer.get("results");
                for (int i = 0; i < results.size(); i++) {
                    final JsonNode result = results.get(i);
                    final ObjectNode single = JSON.createObjectNode();
                    single.put("entity", "user");
                    for (final Iterator<Map.Entry<String, JsonNode>> fields = result.fields(); fields.hasNext(); ) {
                        final Map.Entry<String, JsonNode> field = fields.next();
                        single.set(field.getKey(), field.getValue());
                        if (field.getKey().equals("id")) {
                            single.put("as_of", asOf);
                        }
                    }
                    if (result.path("found").asBoolean()) {
                        found++;
                    }
                    final byte[] value = JSON.writeValueAsBytes(single);
                    values[first - 1 + i] = value;
                    bytes += value.length;
                }
            }
        }
        return new Snapshot(values, found, (double) bytes / users);
    }

    /** The mean body size of single gets of the first {@code sample} users, as the API answers them. */
    static double meanSingleBytes(final URI api, final int sample) throws IOException {
        long bytes = 0;
        try (HttpConnection http = new HttpConnection(api.getHost(), api.getPort())) {
            for (int user = 1; user <= sample; user++) {
                final int status = http.exchange(HttpConnection.get(api.getHost(), api.getPort(),
                        "/v1/features/user/" + ClickstreamModel.userId(user)));
                if (status != 200) {
                    throw new IOException("GET of " + ClickstreamModel.userId(user) + " answered " + status + ": " + http.bodyText());
                }
                bytes += http.bodyLength();
            }
        }
        return (double) bytes / sample;
    }
}
