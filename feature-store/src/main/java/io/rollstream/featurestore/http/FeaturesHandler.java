package io.rollstream.featurestore.http;

import io.rollstream.engine.DerivedFeature;
import io.rollstream.featurestore.answers.AnswerCache;
import io.rollstream.featurestore.answers.AnswerTemplate;
import io.rollstream.featurestore.query.FeatureQueryException;
import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.query.ServedResult;
import io.rollstream.featurestore.routing.FeatureRouter;
import io.rollstream.featurestore.routing.PeerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /v1/features/{entity}/{id}[?features=a,b]} and {@code POST /v1/features/{entity}:batch}:
 * feature vectors with windows anchored now, from whichever instance holds them. An entity nobody
 * has seen is {@code found: false} with zero-valued features, not an error, so a scorer can treat new
 * users like any other.
 *
 * <p>A single get whose key this instance holds is answered on the I/O thread; batches, and reads
 * that must be forwarded or retried, are answered on a virtual thread. A single get of all features
 * read from the active copy here is kept ({@link AnswerCache}) as a template with {@code as_of} and
 * the read-time features left open, and answers the same key again while it holds.
 */
final class FeaturesHandler implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(FeaturesHandler.class);
    static final String PREFIX = FeatureRequests.PREFIX;
    private static final String FORWARDED = PeerClient.FORWARDED_HEADER.toLowerCase(Locale.ROOT);
    private static final String AS_OF = PeerClient.AS_OF_HEADER.toLowerCase(Locale.ROOT);

    private final Map<String, ServedEntity> entities;
    /** By entity, the derived features its kept answers fill in per read; no entry: its answers are not kept. */
    private final Map<String, Map<String, DerivedFeature>> readTimeFeatures = new HashMap<>();
    private final FeatureRouter router;
    private final Clock clock;
    /** The longest id of any entity served: the event limits decide it (EntityIds#maxLength). */
    private final int maxIdLength;
    private final int maxBodyBytes;

    FeaturesHandler(final Map<String, ServedEntity> entities, final FeatureRouter router, final Clock clock) {
        this.entities = Map.copyOf(entities);
        for (final ServedEntity entity : entities.values()) {
            final Map<String, DerivedFeature> readTime = AnswerTemplate.readTimeFeatures(entity.engine().featureSet());
            if (entity.answers() != null && readTime != null) {
                readTimeFeatures.put(entity.name(), Map.copyOf(readTime));
            } else if (entity.answers() != null) {
                LOG.info("Answers of '{}' are not kept: a derived feature reads one that moves with the read time "
                        + "(seconds_since), so no answer holds from one instant to the next", entity.name());
            }
        }
        this.router = router;
        this.clock = clock;
        // Room for the longest ids, each character JSON-escaped (\\uXXXX), and a features list.
        this.maxIdLength = entities.values().stream().mapToInt(ServedEntity::maxIdLength).max().orElse(1);
        this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE,
                (long) router.settings().batchMaxIds() * (maxIdLength * 6L + 4) + 64 * 1024);
    }

    /** The largest body a batch may have; the server refuses longer ones with {@link #bodyTooLarge()} before they get here. */
    int maxBodyBytes() {
        return maxBodyBytes;
    }

    ApiAnswer bodyTooLarge() {
        return ApiAnswer.error(413, "the request body is over " + maxBodyBytes + " bytes; a batch holds at most "
                + router.settings().batchMaxIds() + " ids of at most " + maxIdLength + " characters");
    }

    @Override
    public ApiAnswer answer(final ApiRequest request) {
        return handle(request, false);
    }

    @Override
    public ApiAnswer answerWithoutWaiting(final ApiRequest request) {
        return handle(request, true);
    }

    /** @param withoutWaiting answer only what needs no waiting; {@code null} for the rest */
    private ApiAnswer handle(final ApiRequest request, final boolean withoutWaiting) {
        try {
            final FeatureRequests.FeaturePath path = FeatureRequests.parsePath(request.rawPath());
            final ServedEntity entity = entities.get(path.entity());
            if (entity == null) {
                throw FeatureQueryException.notFound("unknown entity '" + path.entity() + "'; known entities: "
                        + new TreeSet<>(entities.keySet()));
            }
            if (path.batch()) {
                final ApiAnswer wrongMethod = HttpResponses.unlessPost(request);
                return wrongMethod != null ? wrongMethod : withoutWaiting ? null : serveBatch(request, entity);
            }
            final ApiAnswer wrongMethod = HttpResponses.unlessGet(request);
            return wrongMethod != null ? wrongMethod : serveOne(request, entity, path.id(), withoutWaiting);
        } catch (final FeatureQueryException e) {
            return ApiAnswer.error(e.httpStatus(), e.getMessage(), e.retryAfterSeconds());
        }
    }

    private ApiAnswer serveOne(final ApiRequest request, final ServedEntity entity, final String id,
                               final boolean withoutWaiting) {
        final String key = entity.requireWellFormed(id);
        final FeatureSelection selection = entity.names().select(FeatureRequests.parseFeatures(request.rawQuery()));
        final long asOf = asOf(request);
        final Map<String, DerivedFeature> readTime = selection.all() ? readTimeFeatures.get(entity.name()) : null;
        AnswerCache.Ticket ticket = null;
        if (readTime != null) {
            // Kept only while this instance is the key's active owner; the answer then is what its store holds.
            final AnswerTemplate kept = entity.answers().get(key, asOf, () -> router.isActiveHere(entity, key));
            if (kept != null) {
                return ApiAnswer.json(200, kept.render(asOf));
            }
            // Taken before the store is read: a write from here on keeps this read's answer out.
            ticket = entity.answers().ticket(key);
        }
        final List<ServedResult> results = withoutWaiting
                ? router.readWithoutWaiting(entity, List.of(id), selection, asOf, isForwarded(request))
                : router.read(entity, List.of(id), selection, asOf, isForwarded(request));
        if (results == null) {
            return null;
        }
        if (ticket != null && results.get(0) instanceof ServedResult.Local local && !local.stale()) {
            final AnswerTemplate template = FeatureJson.singleTemplate(entity.name(), asOf, local, selection, readTime);
            if (template != null) {
                entity.answers().offer(ticket, template);
                return ApiAnswer.json(200, template.written());
            }
        }
        return ApiAnswer.json(200, FeatureJson.single(entity.name(), asOf, results.get(0), selection));
    }

    private ApiAnswer serveBatch(final ApiRequest request, final ServedEntity entity) {
        if (request.rawQuery() != null) {
            throw FeatureQueryException.badRequest("a batch takes no query parameters; name the features in the body: "
                    + FeatureRequests.BATCH_SHAPE);
        }
        final FeatureRequests.BatchBody body = FeatureRequests.parseBatchBody(request.body());
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
        final long asOf = asOf(request);
        final List<ServedResult> results = router.read(entity, body.ids(), selection, asOf, isForwarded(request));
        return ApiAnswer.json(200, FeatureJson.batch(entity.name(), asOf, results, selection));
    }

    private static boolean isForwarded(final ApiRequest request) {
        return "true".equals(request.header(FORWARDED));
    }

    /** Now, or for a forwarded request the instant its origin anchored the windows at. */
    private long asOf(final ApiRequest request) {
        final String given = request.header(AS_OF);
        if (given == null || !isForwarded(request)) {
            return clock.millis();
        }
        try {
            return Long.parseLong(given);
        } catch (final NumberFormatException e) {
            throw FeatureQueryException.badRequest(PeerClient.AS_OF_HEADER + " must be epoch milliseconds, not '" + given + "'");
        }
    }
}
