package io.rollstream.featurestore.query;

import io.rollstream.engine.DerivedFeature;
import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The feature names an entity answers with, indexed once per entity so that validating a
 * {@code ?features=} list costs a few hash lookups: its features and derived features in
 * declaration order, then {@value #LAST_EVENT_TIME} (epoch millis of the newest event, kept for the
 * clients written before {@code newest_event_time} existed).
 */
public final class FeatureNames {

    public static final String LAST_EVENT_TIME = "last_event_time";

    private final String entity;
    private final Set<String> known;
    private final FeatureSelection all;
    /** Whether {@value #LAST_EVENT_TIME} is answered here rather than a feature the entity declares. */
    private final boolean lastEventTimeAdded;

    private FeatureNames(final String entity, final List<String> names, final boolean lastEventTimeAdded) {
        this.entity = entity;
        this.known = new HashSet<>(names);
        this.lastEventTimeAdded = lastEventTimeAdded;
        this.all = new FeatureSelection(names, true, computed(names));
    }

    public static FeatureNames of(final FeatureSet set) {
        final List<String> names = new ArrayList<>();
        for (final FeatureDefinition feature : set.features()) {
            names.add(feature.name());
        }
        for (final DerivedFeature feature : set.derived()) {
            names.add(feature.name());
        }
        final boolean added = !names.contains(LAST_EVENT_TIME);
        if (added) {
            names.add(LAST_EVENT_TIME);
        }
        return new FeatureNames(set.entity(), List.copyOf(names), added);
    }

    public FeatureSelection all() {
        return all;
    }

    /**
     * The features a caller asked for, in the order asked (a repeated name once); {@code null} means
     * every feature.
     *
     * @throws FeatureQueryException 400 naming the first unknown name and listing the valid ones
     */
    public FeatureSelection select(final Collection<String> requested) {
        if (requested == null) {
            return all;
        }
        if (requested.isEmpty()) {
            throw FeatureQueryException.badRequest("the list of features is empty; name at least one feature of '"
                    + entity + "', or leave the list out for all of them");
        }
        final Set<String> chosen = new LinkedHashSet<>(requested);
        for (final String name : chosen) {
            if (!known.contains(name)) {
                throw FeatureQueryException.badRequest("unknown feature '" + name + "' of entity '" + entity
                        + "'; valid features: " + String.join(", ", all.names()));
            }
        }
        if (chosen.size() == all.names().size()) {
            return all;
        }
        final List<String> names = List.copyOf(chosen);
        return new FeatureSelection(names, false, computed(names));
    }

    private List<String> computed(final List<String> names) {
        return lastEventTimeAdded ? names.stream().filter(name -> !name.equals(LAST_EVENT_TIME)).toList() : names;
    }
}
