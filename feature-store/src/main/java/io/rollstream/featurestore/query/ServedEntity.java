package io.rollstream.featurestore.query;

import io.rollstream.engine.EntityDefinition;
import io.rollstream.featurestore.answers.AnswerCache;
import io.rollstream.featurestore.answers.AnswerTemplate;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.schemas.contract.EventLimits;

import java.util.Objects;

/**
 * An entity the API serves: its state store, the engine that reads its features, the index of its
 * feature names, and the single-get answers kept while they hold ({@link AnswerCache}; null when
 * the instance keeps none). Built once at start; shared by every request.
 */
public record ServedEntity(String name, String storeName, FeatureEngine engine, FeatureNames names,
                           AnswerCache<AnswerTemplate> answers, int maxIdLength) {

    public ServedEntity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(storeName, "storeName");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(names, "names");
    }

    /** An entity whose answers are not kept, with the contract's default event limits. */
    public static ServedEntity of(final FeatureSet set, final String storeName) {
        return of(set, storeName, null, EventLimits.defaults());
    }

    /** @param limits the event limits the ingest runs with: they decide how long an id of this entity can be */
    public static ServedEntity of(final FeatureSet set, final String storeName, final AnswerCache<AnswerTemplate> answers,
                                  final EventLimits limits) {
        return new ServedEntity(set.entity(), storeName, new FeatureEngine(set), FeatureNames.of(set), answers,
                EntityIds.maxLength(set.entityDefinition(), limits));
    }

    /**
     * Checks that an id is an id of this entity: a valid id ({@link EntityIds}) with one component per
     * key field.
     *
     * @return its state-store key ({@link #storeKey}), which checking it works out anyway
     * @throws FeatureQueryException 400 saying what is wrong
     */
    public String requireWellFormed(final String id) {
        EntityIds.requireValid(id, maxIdLength);
        return storeKey(id);
    }

    /** The state-store key of an id (escaped as {@link EntityDefinition} keys are). */
    public String storeKey(final String id) {
        try {
            return engine.featureSet().entityDefinition().keyForId(id);
        } catch (final IllegalArgumentException e) {
            throw FeatureQueryException.badRequest(e.getMessage());
        }
    }
}
