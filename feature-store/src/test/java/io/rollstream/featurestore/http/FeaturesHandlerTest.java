package io.rollstream.featurestore.http;

import io.rollstream.featurestore.query.FeatureQueryException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeaturesHandlerTest {

    @Test
    void shouldPercentDecodeIdsAsUtf8AndKeepPlusSigns() {
        assertThat(FeaturesHandler.percentDecode("a%2Fb")).isEqualTo("a/b");
        assertThat(FeaturesHandler.percentDecode("caf%C3%A9+1")).isEqualTo("café+1");
        assertThat(FeaturesHandler.percentDecode("user-1")).isEqualTo("user-1");
    }

    @Test
    void shouldRejectBadEscapesAndInvalidUtf8As400() {
        assertThatThrownBy(() -> FeaturesHandler.percentDecode("bad%zz"))
                .isInstanceOfSatisfying(FeatureQueryException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageContaining("percent-escape");
        assertThatThrownBy(() -> FeaturesHandler.percentDecode("trunc%4"))
                .isInstanceOf(FeatureQueryException.class);
        assertThatThrownBy(() -> FeaturesHandler.percentDecode("%C3%28"))
                .hasMessageContaining("UTF-8");
    }
}
