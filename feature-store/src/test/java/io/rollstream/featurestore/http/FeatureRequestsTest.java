package io.rollstream.featurestore.http;

import io.rollstream.featurestore.query.FeatureQueryException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureRequestsTest {

    @Test
    void shouldPercentDecodeIdsAsUtf8AndKeepPlusSigns() {
        assertThat(FeatureRequests.percentDecode("a%2Fb")).isEqualTo("a/b");
        assertThat(FeatureRequests.percentDecode("caf%C3%A9+1")).isEqualTo("café+1");
        assertThat(FeatureRequests.percentDecode("user-1")).isEqualTo("user-1");
    }

    @Test
    void shouldRejectBadEscapesAndInvalidUtf8As400() {
        assertThatThrownBy(() -> FeatureRequests.percentDecode("bad%zz"))
                .isInstanceOfSatisfying(FeatureQueryException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageContaining("percent-escape");
        assertThatThrownBy(() -> FeatureRequests.percentDecode("trunc%4"))
                .isInstanceOf(FeatureQueryException.class);
        assertThatThrownBy(() -> FeatureRequests.percentDecode("%C3%28"))
                .hasMessageContaining("UTF-8");
    }

    @Test
    void shouldTellASingleReadFromABatchByThePath() {
        assertThat(FeatureRequests.parsePath("/v1/features/user/user-1"))
                .isEqualTo(new FeatureRequests.FeaturePath("user", "user-1"));
        assertThat(FeatureRequests.parsePath("/v1/features/user:batch"))
                .isEqualTo(new FeatureRequests.FeaturePath("user", null));
        assertThat(FeatureRequests.parsePath("/v1/features/user:batch").batch()).isTrue();
        assertThat(FeatureRequests.parsePath("/v1/features/user/a:batch"))
                .as("an id may end in :batch").isEqualTo(new FeatureRequests.FeaturePath("user", "a:batch"));
        assertThat(FeatureRequests.parsePath("/v1/features/user_category/u1%7Cbooks"))
                .isEqualTo(new FeatureRequests.FeaturePath("user_category", "u1|books"));
    }

    @Test
    void shouldAnswer404ForPathsThatAreNeitherAReadNorABatch() {
        for (final String path : List.of("/v1/features/user", "/v1/features/:batch", "/v1/features//x", "/v1/features/user/a/b",
                "/v1/features/")) {
            assertThatThrownBy(() -> FeatureRequests.parsePath(path)).as(path)
                    .isInstanceOfSatisfying(FeatureQueryException.class, e -> assertThat(e.httpStatus()).isEqualTo(404))
                    .hasMessageContaining("/v1/features/{entity}");
        }
    }

    @Test
    void shouldReadTheFeatureListFromOneOrRepeatedParameters() {
        assertThat(FeatureRequests.parseFeatures(null)).isNull();
        assertThat(FeatureRequests.parseFeatures("features=a,b")).containsExactly("a", "b");
        assertThat(FeatureRequests.parseFeatures("features=a%2Cb&features=c")).containsExactly("a", "b", "c");
    }

    @Test
    void shouldRejectUnknownParametersAndEmptyNames() {
        assertThatThrownBy(() -> FeatureRequests.parseFeatures("feature=a")).hasMessageContaining("unknown query parameter 'feature'");
        assertThatThrownBy(() -> FeatureRequests.parseFeatures("features=a,,b")).hasMessageContaining("empty name");
        assertThatThrownBy(() -> FeatureRequests.parseFeatures("features=")).hasMessageContaining("empty name");
        assertThatThrownBy(() -> FeatureRequests.parseFeatures("features=%zz")).hasMessageContaining("percent-escape");
    }

    @Test
    void shouldReadABatchBody() {
        assertThat(body("{\"ids\":[\"u1\",\"u2\"]}")).isEqualTo(new FeatureRequests.BatchBody(List.of("u1", "u2"), null));
        assertThat(body("{\"ids\":[\"u1\"],\"features\":[\"a\"]}"))
                .isEqualTo(new FeatureRequests.BatchBody(List.of("u1"), List.of("a")));
    }

    @Test
    void shouldRejectABodyThatIsNotJsonOrHasTheWrongShapeSayingWhatIsExpected() {
        assertBadBody("ids=u1,u2", "not valid JSON");
        assertBadBody(" ", "the body is empty");
        assertBadBody("{\"ids\":[\"u1\"]} trailing", "not valid JSON");
        assertBadBody("[\"u1\"]", "must be a JSON object");
        assertBadBody("{\"keys\":[\"u1\"]}", "unknown field 'keys'");
        assertBadBody("{}", "has no \"ids\"");
        assertBadBody("{\"ids\":\"u1\"}", "\"ids\" must be an array of strings, not a string");
        assertBadBody("{\"ids\":[\"u1\", 2]}", "\"ids\"[1] must be a string, not a number");
        assertBadBody("{\"ids\":[\"u1\"],\"features\":{}}", "\"features\" must be an array of strings, not an object");
    }

    private static FeatureRequests.BatchBody body(final String json) {
        return FeatureRequests.parseBatchBody(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertBadBody(final String json, final String message) {
        assertThatThrownBy(() -> body(json)).as(json)
                .isInstanceOfSatisfying(FeatureQueryException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageContaining(message)
                .hasMessageContaining("{\"ids\": [");
    }
}
