package io.rollstream.featurestore.query;

import io.rollstream.engine.UserActivityFeatures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureNamesTest {

    private final FeatureNames names = FeatureNames.of(UserActivityFeatures.featureSet());

    @Test
    void shouldListEveryFeatureInDeclarationOrderThenLastEventTime() {
        assertThat(names.all().names()).hasSize(15).startsWith("page_view_count_1h").endsWith("last_event_time");
        assertThat(names.all().all()).isTrue();
        assertThat(names.select(null)).isSameAs(names.all());
    }

    @Test
    void shouldKeepTheOrderAskedAndDropRepeats() {
        final FeatureSelection selection = names.select(List.of("click_count_24h", "last_event_time", "click_count_24h"));

        assertThat(selection.names()).containsExactly("click_count_24h", "last_event_time");
        assertThat(selection.all()).isFalse();
    }

    @Test
    void shouldRejectAnUnknownNameNamingItAndListingTheValidOnes() {
        assertThatThrownBy(() -> names.select(List.of("click_count_1h", "click_count_1y")))
                .isInstanceOfSatisfying(FeatureQueryException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageContaining("unknown feature 'click_count_1y' of entity 'user'")
                .hasMessageContaining("valid features: page_view_count_1h, ");
        assertThatThrownBy(() -> names.select(List.of())).hasMessageContaining("the list of features is empty");
    }
}
