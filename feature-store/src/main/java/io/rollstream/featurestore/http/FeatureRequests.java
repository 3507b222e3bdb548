package io.rollstream.featurestore.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.rollstream.featurestore.query.FeatureQueryException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads what a feature request asks for, from its path, query and body; every malformed part is a
 * 4xx that says what was expected. Pure parsing: which entities and features exist is checked by
 * the caller.
 */
final class FeatureRequests {

    static final String PREFIX = "/v1/features/";
    static final String BATCH_SUFFIX = ":batch";
    static final String FEATURES_PARAMETER = "features";
    static final String BATCH_SHAPE = "{\"ids\": [\"id\", ...], \"features\": [\"name\", ...]} (features optional)";

    /**
     * {@code /v1/features/{entity}/{id}} or {@code /v1/features/{entity}:batch}.
     *
     * @param id the percent-decoded id; {@code null} for a batch
     */
    record FeaturePath(String entity, String id) {
        boolean batch() {
            return id == null;
        }
    }

    /** A batch request's body. {@code features} is {@code null} when absent (every feature). */
    record BatchBody(List<String> ids, List<String> features) {
    }

    private static final ObjectReader BODY_READER = HttpResponses.JSON.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FeatureRequests() {
    }

    static FeaturePath parsePath(final String rawPath) {
        final String rest = rawPath.substring(PREFIX.length());
        final int slash = rest.indexOf('/');
        if (slash < 0) {
            if (rest.endsWith(BATCH_SUFFIX) && rest.length() > BATCH_SUFFIX.length()) {
                return new FeaturePath(rest.substring(0, rest.length() - BATCH_SUFFIX.length()), null);
            }
            throw FeatureQueryException.notFound("no such resource " + rawPath + "; use GET /v1/features/{entity}/{id} "
                    + "or POST /v1/features/{entity}:batch");
        }
        if (slash == 0 || rest.indexOf('/', slash + 1) >= 0) {
            throw FeatureQueryException.notFound("no such resource " + rawPath
                    + "; use /v1/features/{entity}/{id} (URL-encode a '/' inside an id as %2F)");
        }
        return new FeaturePath(rest.substring(0, slash), percentDecode(rest.substring(slash + 1)));
    }

    /**
     * The names of {@code ?features=a,b} (the parameter may repeat); {@code null} when the query does
     * not name any, meaning every feature.
     */
    static List<String> parseFeatures(final String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        List<String> names = null;
        for (final String parameter : rawQuery.split("&", -1)) {
            final int equals = parameter.indexOf('=');
            final String key = equals < 0 ? parameter : parameter.substring(0, equals);
            if (!FEATURES_PARAMETER.equals(key)) {
                throw FeatureQueryException.badRequest("unknown query parameter '" + key + "'; the only one is "
                        + FEATURES_PARAMETER + "=name,name,...");
            }
            final String value;
            try {
                value = equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (final IllegalArgumentException e) {
                throw FeatureQueryException.badRequest("query parameter " + FEATURES_PARAMETER
                        + " has a malformed percent-escape (" + e.getMessage() + ")");
            }
            if (names == null) {
                names = new ArrayList<>();
            }
            for (final String name : value.split(",", -1)) {
                if (name.isBlank()) {
                    throw FeatureQueryException.badRequest("query parameter " + FEATURES_PARAMETER + "='" + value
                            + "' has an empty name; write features=name,name,...");
                }
                names.add(name.strip());
            }
        }
        return names;
    }

    static BatchBody parseBatchBody(final byte[] body) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            throw FeatureQueryException.badRequest("the body is empty; send " + BATCH_SHAPE);
        }
        final JsonNode root;
        try {
            root = BODY_READER.readValue(body);
        } catch (final JsonProcessingException e) {
            throw FeatureQueryException.badRequest("the body is not valid JSON (" + e.getOriginalMessage() + "); send "
                    + BATCH_SHAPE);
        } catch (final IOException e) {
            throw FeatureQueryException.badRequest("the body cannot be read (" + e.getMessage() + "); send " + BATCH_SHAPE);
        }
        if (!root.isObject()) {
            throw FeatureQueryException.badRequest("the body must be a JSON object " + BATCH_SHAPE + ", not "
                    + describe(root));
        }
        for (final Iterator<String> fields = root.fieldNames(); fields.hasNext(); ) {
            final String field = fields.next();
            if (!field.equals("ids") && !field.equals(FEATURES_PARAMETER)) {
                throw FeatureQueryException.badRequest("unknown field '" + field + "' in the body; send " + BATCH_SHAPE);
            }
        }
        final JsonNode ids = root.get("ids");
        if (ids == null) {
            throw FeatureQueryException.badRequest("the body has no \"ids\"; send " + BATCH_SHAPE);
        }
        final JsonNode features = root.get(FEATURES_PARAMETER);
        return new BatchBody(strings(ids, "ids"), features == null || features.isNull() ? null
                : strings(features, FEATURES_PARAMETER));
    }

    private static List<String> strings(final JsonNode node, final String field) {
        if (!node.isArray()) {
            throw FeatureQueryException.badRequest("\"" + field + "\" must be an array of strings, not "
                    + describe(node) + "; send " + BATCH_SHAPE);
        }
        final List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            final JsonNode element = node.get(i);
            if (!element.isTextual()) {
                throw FeatureQueryException.badRequest("\"" + field + "\"[" + i + "] must be a string, not "
                        + describe(element) + "; send " + BATCH_SHAPE);
            }
            values.add(element.textValue());
        }
        return values;
    }

    private static String describe(final JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** RFC 3986 percent-decoding of one path segment ('+' stays '+'); bad escapes or UTF-8 are 400s. */
    static String percentDecode(final String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            final char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length() || Character.digit(segment.charAt(i + 1), 16) < 0
                        || Character.digit(segment.charAt(i + 2), 16) < 0) {
                    throw FeatureQueryException.badRequest("entity id has a malformed percent-escape at position " + i
                            + " ('" + segment + "'); encode '%' itself as %25");
                }
                bytes.write(Character.digit(segment.charAt(i + 1), 16) * 16 + Character.digit(segment.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (final CharacterCodingException e) {
            throw FeatureQueryException.badRequest("entity id is not valid UTF-8 once percent-decoded ('" + segment + "')");
        }
    }
}
