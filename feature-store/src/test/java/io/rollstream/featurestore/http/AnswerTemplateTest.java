package io.rollstream.featurestore.http;

import io.rollstream.engine.DerivedFeature;
import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.FeatureVector;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.engine.testing.ShoppingEvents;
import io.rollstream.featurestore.answers.AnswerTemplate;
import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.query.ServedResult;
import io.rollstream.schemas.ClickEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kept answer rendered for a later read instant is what a fresh read then writes, byte for byte.
 * KLL percentiles are left out of the features: their merge flips an unseeded coin, so two fresh
 * reads of the same state may differ in them too.
 */
class AnswerTemplateTest {

    private static final long NOON = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();

    @Test
    void shouldRenderWhatAFreshReadWritesAtEveryInstantWhileTheVectorHolds() throws IOException {
        final Random random = new Random(11);
        int rendered = 0;
        for (final FeatureSet set : withoutPercentiles(FeaturesFile.loadDefault().entities())) {
            final ServedEntity entity = ServedEntity.of(set, "store");
            final FeatureEngine engine = entity.engine();
            final Map<String, DerivedFeature> readTime = AnswerTemplate.readTimeFeatures(set);
            assertThat(readTime).as("the default features can be kept").isNotNull();
            final FeatureSelection all = entity.names().all();
            for (int trial = 0; trial < 200; trial++) {
                final EntityState state = engine.newState();
                final int events = random.nextInt(30);
                for (int i = 0; i < events; i++) {
                    final long back = random.nextInt(3) == 0 ? random.nextLong(20L * 86_400_000) : random.nextLong(7_200_000);
                    engine.fold(state, event(random, NOON - back + random.nextLong(120_000)));
                }
                final long asOf = NOON + random.nextLong(600_000);
                final FeatureVector first = engine.read(state, asOf);
                final AnswerTemplate template = FeatureJson.singleTemplate(entity.name(), asOf,
                        new ServedResult.Local("id-" + trial, first, false, "127.0.0.1:8080", 0), all, readTime);
                assertThat(template).isNotNull();
                assertThat(template.written()).isEqualTo(FeatureJson.single(entity.name(), asOf,
                        new ServedResult.Local("id-" + trial, first, false, "127.0.0.1:8080", 0), all));

                final long span = Math.min(first.holdsUntil() - asOf, 40L * 86_400_000);
                final long later = asOf + random.nextLong(span);
                final byte[] fresh = FeatureJson.single(entity.name(), later,
                        new ServedResult.Local("id-" + trial, engine.read(state, later), false, "127.0.0.1:8080", 0), all);
                assertThat(new String(template.render(later), StandardCharsets.UTF_8))
                        .as("%s read at %d, rendered for %d", set.entity(), asOf, later)
                        .isEqualTo(new String(fresh, StandardCharsets.UTF_8));
                rendered++;
            }
        }
        assertThat(rendered).isPositive();
    }

    @Test
    void shouldKeepNoTemplateForFeaturesThatReadAReadTimeFeature() {
        final FeatureSet user = FeaturesFile.parse("""
                features:
                  - name: purchases
                    event_types: [PURCHASE]
                    aggregation: count
                    windows: [7d]
                derived:
                  - name: since_last_event
                    seconds_since: last_event
                  - name: odd
                    ratio: [since_last_event, purchases_7d]
                """, "test").entities().get(0);

        assertThat(AnswerTemplate.readTimeFeatures(user)).isNull();
    }

    /** The sets without their approximate percentiles (features of that aggregation, and derived ones reading them). */
    private static List<FeatureSet> withoutPercentiles(final List<FeatureSet> sets) {
        final List<FeatureSet> kept = new ArrayList<>();
        for (final FeatureSet set : sets) {
            final List<FeatureDefinition> features = set.features().stream()
                    .filter(feature -> !(isPercentile(feature))).toList();
            final Set<String> names = new HashSet<>();
            features.forEach(feature -> names.add(feature.name()));
            final List<DerivedFeature> derived = set.derived().stream()
                    .filter(feature -> names.containsAll(feature.inputs())).toList();
            kept.add(new FeatureSet(set.entityDefinition(), features, derived, set.allowedLateness()));
        }
        return kept;
    }

    private static ClickEvent event(final Random random, final long time) {
        return ShoppingEvents.random(random, "u-" + random.nextInt(3), time, 50, 8);
    }

    /** An approximate percentile, known by its kind's name (the aggregation classes are the engine's own). */
    private static boolean isPercentile(final FeatureDefinition feature) {
        return feature.aggregation().toString().startsWith("approx_percentile(");
    }
}
