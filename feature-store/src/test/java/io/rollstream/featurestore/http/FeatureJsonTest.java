package io.rollstream.featurestore.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.UserActivityFeatures;
import io.rollstream.featurestore.query.FeatureNames;
import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.query.ServedResult;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

    @Test
    void shouldWriteAllFeaturesInTheOrderAndWithTheValuesOfTheNamesOneByOne() {
        final ServedEntity user = ServedEntity.of(UserActivityFeatures.featureSet(), "store");
        final FeatureEngine engine = user.engine();
        final EntityState state = engine.newState();
        final Instant noon = Instant.parse("2026-11-21T12:00:00Z");
        for (int i = 0; i < 5; i++) {
            engine.fold(state, ClickEvent.newBuilder().setEventId("e" + i).setEventType(i % 2 == 0 ? EventType.CLICK
                    : EventType.PAGE_VIEW).setUserId("u1").setEventTime(noon.minusSeconds(60L * i)).build());
        }
        final long asOf = noon.toEpochMilli();
        for (final EntityState read : List.of(state, engine.newState())) {
            final ServedResult result = new ServedResult.Local("u1", engine.read(read, asOf), false, "h:1", 0);
            final FeatureSelection all = user.names().all();
            final FeatureSelection everyNameListed = new FeatureSelection(all.names(), false, all.computed());

            final String walked = new String(FeatureJson.single("user", asOf, result, all), StandardCharsets.UTF_8);

            assertThat(walked).isEqualTo(new String(FeatureJson.single("user", asOf, result, everyNameListed),
                    StandardCharsets.UTF_8));
            assertThat(walked).contains("\"" + FeatureNames.LAST_EVENT_TIME + "\":");
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
