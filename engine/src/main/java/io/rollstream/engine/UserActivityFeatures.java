package io.rollstream.engine;

import io.rollstream.engine.aggregation.CountAggregation;
import io.rollstream.engine.field.EventFields;
import io.rollstream.schemas.EventType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The first per-user feature group: how many events of each type a user produced in the last
 * hour and the last 24 hours ({@code page_view_count_1h}, {@code purchase_count_24h}, ...).
 */
public final class UserActivityFeatures {

    public static final String ENTITY = "user";
    public static final List<Duration> WINDOWS = List.of(Duration.ofHours(1), Duration.ofHours(24));

    private UserActivityFeatures() {
    }

    public static FeatureSet featureSet() {
        final List<FeatureDefinition> features = new ArrayList<>();
        for (final Duration length : WINDOWS) {
            final Window window = Window.of(length);
            for (final EventType type : EventType.values()) {
                if (type != EventType.UNKNOWN) {
                    features.add(new FeatureDefinition(countName(type, window), Set.of(type),
                            CountAggregation.INSTANCE, window));
                }
            }
        }
        return new FeatureSet(new EntityDefinition(ENTITY, List.of(EventFields.resolve("user_id"))), features);
    }

    public static String countName(final EventType type, final Window window) {
        return type.name().toLowerCase(Locale.ROOT) + "_count_" + window.label();
    }
}
