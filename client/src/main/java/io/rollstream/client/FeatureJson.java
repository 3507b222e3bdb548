package io.rollstream.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The wire format of the feature HTTP API: the batch request body, and the answers read into
 * {@link FeatureVector}s. Fields the client does not know are skipped, so a newer server that adds
 * some does not break older clients; fields it needs must be there with the right type, and an
 * answer for other ids than asked is refused rather than handed to a scorer.
 */
final class FeatureJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_QUOTED_BODY = 300;

    private FeatureJson() {
    }

    /** The answer could not be used; the caller adds which URL gave it. */
    static final class MalformedAnswerException extends Exception {
        MalformedAnswerException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    static byte[] batchRequest(final List<String> ids, final Set<String> features) {
        final ObjectNode body = MAPPER.createObjectNode();
        final ArrayNode idArray = body.putArray("ids");
        ids.forEach(idArray::add);
        if (features != null) {
            final ArrayNode featureArray = body.putArray("features");
            features.forEach(featureArray::add);
        }
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree of strings: " + e, e);
        }
    }

    static FeatureVector single(final byte[] body, final String entity, final String id)
            throws MalformedAnswerException {
        final JsonNode root = root(body);
        requireEqual("entity", entity, text(root, "entity"));
        final FeatureVector vector = vector(root, entity, instant(root, "as_of"));
        requireEqual("id", id, vector.id());
        return vector;
    }

    static List<FeatureVector> batch(final byte[] body, final String entity, final List<String> ids)
            throws MalformedAnswerException {
        final JsonNode root = root(body);
        requireEqual("entity", entity, text(root, "entity"));
        final Instant asOf = instant(root, "as_of");
        final JsonNode results = root.get("results");
        if (results == null || !results.isArray()) {
            throw malformed("'results' is " + results + ", not an array");
        }
        if (results.size() != ids.size()) {
            throw malformed(results.size() + " results for " + ids.size() + " ids");
        }
        final List<FeatureVector> vectors = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            final FeatureVector vector = vector(results.get(i), entity, asOf);
            requireEqual("id of result " + i, ids.get(i), vector.id());
            vectors.add(vector);
        }
        return vectors;
    }

    /** The {@code error} field of an error answer, or the start of whatever else came back (a proxy's page). */
    static String errorMessage(final byte[] body) {
        try {
            final JsonNode error = MAPPER.readTree(body).get("error");
            if (error != null && error.isTextual()) {
                return error.textValue();
            }
        } catch (final IOException | RuntimeException e) {
            // Not JSON: quote it below.
        }
        final String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() <= MAX_QUOTED_BODY ? text : text.substring(0, MAX_QUOTED_BODY) + "…";
    }

    private static FeatureVector vector(final JsonNode node, final String entity, final Instant asOf)
            throws MalformedAnswerException {
        if (node == null || !node.isObject()) {
            throw malformed("a feature vector is " + node + ", not an object");
        }
        final JsonNode features = node.get("features");
        if (features == null || !features.isObject()) {
            throw malformed("'features' is " + features + ", not an object");
        }
        final Map<String, Object> raw = new LinkedHashMap<>();
        for (final Map.Entry<String, JsonNode> feature : features.properties()) {
            raw.put(feature.getKey(), plain(feature.getValue()));
        }
        final JsonNode newest = node.get("newest_event_time");
        final Optional<Instant> newestEventTime = newest == null || newest.isNull()
                ? Optional.empty() : Optional.of(instant(node, "newest_event_time"));
        return new FeatureVector(entity, text(node, "id"), asOf, bool(node, "found"), bool(node, "stale"),
                text(node, "served_by"), newestEventTime, whole(node, "lag_records"), raw);
    }

    private static Object plain(final JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL, MISSING -> null;
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : node.doubleValue();
            case STRING, BINARY, POJO -> node.asText();
            case ARRAY -> {
                final List<Object> list = new ArrayList<>(node.size());
                node.forEach(element -> list.add(plain(element)));
                yield Collections.unmodifiableList(list);
            }
            case OBJECT -> {
                final Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(field -> map.put(field.getKey(), plain(field.getValue())));
                yield Collections.unmodifiableMap(map);
            }
        };
    }

    private static JsonNode root(final byte[] body) throws MalformedAnswerException {
        final JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (final IOException e) {
            final String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.toString();
            throw new MalformedAnswerException("not JSON (" + reason + "): " + errorMessage(body), e);
        }
        if (root == null || !root.isObject()) {
            throw malformed("the body is " + root + ", not a JSON object");
        }
        return root;
    }

    private static String text(final JsonNode node, final String field) throws MalformedAnswerException {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw malformed("'" + field + "' is " + value + ", not a string");
        }
        return value.textValue();
    }

    private static boolean bool(final JsonNode node, final String field) throws MalformedAnswerException {
        final JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw malformed("'" + field + "' is " + value + ", not true or false");
        }
        return value.booleanValue();
    }

    private static long whole(final JsonNode node, final String field) throws MalformedAnswerException {
        final JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw malformed("'" + field + "' is " + value + ", not a whole number");
        }
        return value.longValue();
    }

    private static Instant instant(final JsonNode node, final String field) throws MalformedAnswerException {
        final String text = text(node, field);
        try {
            return Instant.parse(text);
        } catch (final DateTimeParseException e) {
            throw new MalformedAnswerException("'" + field + "' is '" + text + "', not an ISO-8601 instant", e);
        }
    }

    private static void requireEqual(final String what, final String asked, final String answered)
            throws MalformedAnswerException {
        if (!asked.equals(answered)) {
            throw malformed("the " + what + " is '" + answered + "' but '" + asked + "' was asked");
        }
    }

    private static MalformedAnswerException malformed(final String message) {
        return new MalformedAnswerException(message, null);
    }
}
