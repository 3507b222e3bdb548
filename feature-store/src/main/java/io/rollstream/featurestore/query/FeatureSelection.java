package io.rollstream.featurestore.query;

import java.util.List;

/**
 * The features one request answers with, validated against its entity's {@link FeatureNames}.
 *
 * @param names the feature names, in the order they are written
 * @param all   whether these are all of the entity's features (so a forward need not list them)
 */
public record FeatureSelection(List<String> names, boolean all) {

    public FeatureSelection {
        names = List.copyOf(names);
    }
}
