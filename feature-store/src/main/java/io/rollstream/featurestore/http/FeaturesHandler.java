package io.rollstream.featurestore.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.rollstream.featurestore.query.EntityIds;
import io.rollstream.featurestore.query.FeatureQueryException;
import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.query.ServedResult;
import io.rollstream.featurestore.routing.FeatureRouter;
import io.rollstream.featurestore.routing.PeerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /v1/features/{entity}/{id}[?features=a,b]} and {@code POST /v1/features/{entity}:batch}:
 * feature vectors with windows anchored now, from whichever instance holds them. An entity nobody
 * has seen is {@code found: false} with zero-valued features, not an error, so a scorer can treat new
 * users like any other.
 */
final class FeaturesHandler implements HttpHandler {

    static final String PREFIX = FeatureRequests.PREFIX;
    private static final Logger LOG = LoggerFactory.getLogger(FeaturesHandler.class);

    private final Map<String, ServedEntity> entities;
    private final FeatureRouter router;
    private final Clock clock;
    private final int maxBodyBytes;

    FeaturesHandler(final Map<String, ServedEntity> entities, final FeatureRouter router, final Clock clock) {
        this.entities = Map.copyOf(entities);
        this.router = router;
        this.clock = clock;
        // Room for the longest ids, each character JSON-escaped (\\uXXXX), and a features list.
        this.maxBodyBytes = router.settings().batchMaxIds() * (EntityIds.MAX_LENGTH * 6 + 4) + 64 * 1024;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        try {
            final FeatureRequests.FeaturePath path = FeatureRequests.parsePath(exchange.getRequestURI().getRawPath());
            final ServedEntity entity = entities.get(path.entity());
            if (entity == null) {
                throw FeatureQueryException.notFound("unknown entity '" + path.entity() + "'; known entities: "
                        + new TreeSet<>(entities.keySet()));
            }
            if (path.batch()) {
                if (HttpResponses.requirePost(exchange)) {
                    serveBatch(exchange, entity);
                }
            } else if (HttpResponses.requireGet(exchange)) {
                serveOne(exchange, entity, path.id());
            }
        } catch (final FeatureQueryException e) {
            HttpResponses.error(exchange, e.httpStatus(), e.getMessage(), e.retryAfterSeconds());
        } catch (final RuntimeException e) {
            LOG.error("Failed to serve {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            HttpResponses.error(exchange, 500, "internal error reading features: " + e, 0);
        }
    }

    private void serveOne(final HttpExchange exchange, final ServedEntity entity, final String id) throws IOException {
        entity.requireWellFormed(id);
        final FeatureSelection selection = entity.names().select(
                FeatureRequests.parseFeatures(exchange.getRequestURI().getRawQuery()));
        final long asOf = asOf(exchange);
        final ServedResult result = router.read(entity, List.of(id), selection, asOf, isForwarded(exchange)).get(0);
        HttpResponses.json(exchange, 200, FeatureJson.single(entity.name(), asOf, result, selection));
    }

    private void serveBatch(final HttpExchange exchange, final ServedEntity entity) throws IOException {
        if (exchange.getRequestURI().getRawQuery() != null) {
            throw FeatureQueryException.badRequest("a batch takes no query parameters; name the features in the body: "
                    + FeatureRequests.BATCH_SHAPE);
        }
        final FeatureRequests.BatchBody body = FeatureRequests.parseBatchBody(readBody(exchange));
        final int maxIds = router.settings().batchMaxIds();
        if (body.ids().size() > maxIds) {
            throw FeatureQueryException.tooLarge("a batch of " + body.ids().size() + " ids is over the limit of " + maxIds
                    + " ids per request; split it into batches of at most " + maxIds);
        }
        if (body.ids().isEmpty()) {
            throw FeatureQueryException.badRequest("\"ids\" is empty; give at least one id: " + FeatureRequests.BATCH_SHAPE);
        }
        for (int i = 0; i < body.ids().size(); i++) {
            try {
                entity.requireWellFormed(body.ids().get(i));
            } catch (final FeatureQueryException e) {
                throw FeatureQueryException.badRequest("ids[" + i + "]: " + e.getMessage());
            }
        }
        final FeatureSelection selection = entity.names().select(body.features());
        final long asOf = asOf(exchange);
        final List<ServedResult> results = router.read(entity, body.ids(), selection, asOf, isForwarded(exchange));
        HttpResponses.json(exchange, 200, FeatureJson.batch(entity.name(), asOf, results, selection));
    }

    private byte[] readBody(final HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            final byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw FeatureQueryException.tooLarge("the request body is over " + maxBodyBytes + " bytes; a batch holds at "
                        + "most " + router.settings().batchMaxIds() + " ids of at most " + EntityIds.MAX_LENGTH + " characters");
            }
            return body;
        }
    }

    private static boolean isForwarded(final HttpExchange exchange) {
        return "true".equals(exchange.getRequestHeaders().getFirst(PeerClient.FORWARDED_HEADER));
    }

    /** Now, or for a forwarded request the instant its origin anchored the windows at. */
    private long asOf(final HttpExchange exchange) {
        final String given = exchange.getRequestHeaders().getFirst(PeerClient.AS_OF_HEADER);
        if (given == null || !isForwarded(exchange)) {
            return clock.millis();
        }
        try {
            return Long.parseLong(given);
        } catch (final NumberFormatException e) {
            throw FeatureQueryException.badRequest(PeerClient.AS_OF_HEADER + " must be epoch milliseconds, not '" + given + "'");
        }
    }
}
