package io.rollstream.featurestore.routing;

import io.rollstream.topologies.features.EntityWriteListener;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StoreRestoresTest {

    @Test
    void shouldKnowWhichPartitionsRestoreAndResetTheStoreListenerAtTheStartAndTheEnd() {
        final List<String> resets = new ArrayList<>();
        final EntityWriteListener users = new EntityWriteListener() {
            @Override
            public void written(final String key) {
            }

            @Override
            public void reset() {
                resets.add("users");
            }
        };
        final StoreRestores restores = new StoreRestores(Map.of("features-user", users)::get);
        final TopicPartition changelog = new TopicPartition("app-features-user-changelog", 2);

        restores.onRestoreStart(changelog, "features-user", 0, 100);
        assertThat(restores.isRestoring("features-user", 2)).isTrue();
        assertThat(restores.isRestoring("features-user", 1)).isFalse();
        restores.onBatchRestored(changelog, "features-user", 50, 50);
        restores.onRestoreEnd(changelog, "features-user", 100);
        restores.onRestoreStart(new TopicPartition("app-dedupe-changelog", 2), "dedupe", 0, 10);

        assertThat(restores.isRestoring("features-user", 2)).isFalse();
        assertThat(restores.isRestoring("dedupe", 2)).isTrue();
        assertThat(resets).as("at the start and at the end; a store nobody listens to resets nothing").hasSize(2);
    }
}
