package io.rollstream.featurestore.query;

import io.rollstream.engine.EntityDefinition;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;

import java.util.Objects;

/**
 * An entity the API serves: its state store, the engine that reads its features, and the index of
 * its feature names. Built once at start; shared by every request.
 */
public record ServedEntity(String name, String storeName, FeatureEngine engine, FeatureNames names) {

    public ServedEntity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(storeName, "storeName");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(names, "names");
    }

    public static ServedEntity of(final FeatureSet set, final String storeName) {
        return new ServedEntity(set.entity(), storeName, new FeatureEngine(set), FeatureNames.of(set));
    }

    /**
     * Checks that an id is an id of this entity: a valid id ({@link EntityIds}) with one component per
     * key field.
     *
     * @throws FeatureQueryException 400 saying what is wrong
     */
    public String requireWellFormed(final String id) {
        EntityIds.requireValid(id);
        storeKey(id);
        return id;
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
