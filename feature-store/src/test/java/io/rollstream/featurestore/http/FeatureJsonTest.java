package io.rollstream.featurestore.http;

import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureJsonTest {

    @Test
    void shouldWriteEveryShapeOfFeatureValueExactlyAsTheObjectMapperDoes() throws IOException {
        final Map<String, Object> topEntry = new LinkedHashMap<>();
        topEntry.put("value", "cat-\"3\"\n");
        topEntry.put("count", 41L);
        final List<Object> values = Arrays.asList(null, 0L, -7L, Long.MAX_VALUE, 3, 0.0, -0.5, 50.66847962382445,
                1e-300, Double.NaN, Double.POSITIVE_INFINITY, "", "query ü ☃ \\ \t", true, false,
                List.of(), List.of("item-1", "item-2"), List.of(topEntry, Map.of()), Map.of(1, "not text keys"),
                new BigDecimal("1.50"));
        for (final Object value : values) {
            assertThat(written(value)).as(String.valueOf(value)).isEqualTo(HttpResponses.JSON.writeValueAsString(value));
        }
    }

    private static String written(final Object value) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = HttpResponses.JSON.createGenerator(out)) {
            FeatureJson.writeValue(json, value);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
