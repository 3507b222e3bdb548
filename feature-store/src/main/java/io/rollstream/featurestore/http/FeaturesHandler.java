package io.rollstream.featurestore.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.rollstream.engine.FeatureVector;
import io.rollstream.featurestore.query.EntityIds;
import io.rollstream.featurestore.query.FeatureQueryException;
import io.rollstream.featurestore.query.LocalFeatureReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /v1/features/{entity}/{id}}: the entity's feature vector with windows anchored now.
 * An entity nobody has seen is {@code found: false} with zero-valued features, not an error, so a
 * scorer can treat new users like any other.
 */
final class FeaturesHandler implements HttpHandler {

    static final String PREFIX = "/v1/features/";
    static final String LAST_EVENT_TIME = "last_event_time";
    private static final Logger LOG = LoggerFactory.getLogger(FeaturesHandler.class);

    private final Map<String, LocalFeatureReader> readers;
    private final Clock clock;

    FeaturesHandler(final Map<String, LocalFeatureReader> readers, final Clock clock) {
        this.readers = Map.copyOf(readers);
        this.clock = clock;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        try {
            if (!HttpResponses.requireGet(exchange)) {
                return;
            }
            final String rest = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
            final int slash = rest.indexOf('/');
            if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
                throw FeatureQueryException.notFound("no such resource " + exchange.getRequestURI().getRawPath()
                        + "; use /v1/features/{entity}/{id} (URL-encode a '/' inside an id as %2F)");
            }
            final String entity = rest.substring(0, slash);
            final LocalFeatureReader reader = readers.get(entity);
            if (reader == null) {
                throw FeatureQueryException.notFound("unknown entity '" + entity + "'; known entities: "
                        + new TreeSet<>(readers.keySet()));
            }
            final String id = EntityIds.requireValid(percentDecode(rest.substring(slash + 1)));
            final long asOf = clock.millis();
            HttpResponses.json(exchange, 200, body(entity, id, reader.read(id, asOf)));
        } catch (final FeatureQueryException e) {
            HttpResponses.error(exchange, e.httpStatus(), e.getMessage(), e.retryAfterSeconds());
        } catch (final RuntimeException e) {
            LOG.error("Failed to serve {}", exchange.getRequestURI(), e);
            HttpResponses.error(exchange, 500, "internal error reading features: " + e, 0);
        }
    }

    private static Map<String, Object> body(final String entity, final String id, final FeatureVector vector) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("entity", entity);
        body.put("id", id);
        body.put("as_of", Instant.ofEpochMilli(vector.asOf()).toString());
        body.put("found", vector.found());
        final Map<String, Object> features = new LinkedHashMap<>(vector.values());
        features.put(LAST_EVENT_TIME, vector.found() ? vector.newestEventTime() : null);
        body.put("features", features);
        return body;
    }

    /** RFC 3986 percent-decoding of one path segment ('+' stays '+'); bad escapes or UTF-8 are 400s. */
    static String percentDecode(final String segment) {
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
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (final CharacterCodingException e) {
            throw FeatureQueryException.badRequest("entity id is not valid UTF-8 once percent-decoded ('" + segment + "')");
        }
    }
}
