package io.rollstream.featurestore.query;

import java.util.List;

/**
 * The features one request answers with, validated against its entity's {@link FeatureNames}.
 *
 * @param names    the feature names, in the order they are written
 * @param all      whether these are all of the entity's features (so a forward need not list them)
 * @param computed the names the feature engine computes: {@code names} without those the serving
 *                 layer answers itself ({@link FeatureNames#LAST_EVENT_TIME})
 */
public record FeatureSelection(List<String> names, boolean all, List<String> computed) {

    public FeatureSelection {
        names = List.copyOf(names);
        computed = List.copyOf(computed);
    }

    /** A selection whose every name the engine computes. */
    public FeatureSelection(final List<String> names, final boolean all) {
        this(names, all, names);
    }
}
