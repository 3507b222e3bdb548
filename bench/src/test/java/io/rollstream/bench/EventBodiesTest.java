package io.rollstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.generator.ClickstreamModel;
import io.rollstream.schemas.ClickEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldRenderEveryEventOnceInArraysOfTheBatchSizeWithItsFields() throws Exception {
        final ClickstreamModel model = new ClickstreamModel(3, 100, 50);
        final List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            events.add(model.next(Instant.parse("2026-11-21T12:00:00Z").plusMillis(i)));
        }

        final List<byte[]> bodies = EventBodies.batches(events, 100);

        assertThat(bodies).hasSize(3);
        final List<JsonNode> rendered = new ArrayList<>();
        for (final byte[] body : bodies) {
            JSON.readTree(body).forEach(rendered::add);
        }
        assertThat(JSON.readTree(bodies.get(2))).hasSize(50);
        assertThat(rendered).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            final ClickEvent event = events.get(i);
            final JsonNode json = rendered.get(i);
            assertThat(json.path("event_id").asText()).isEqualTo(event.getEventId());
            assertThat(json.path("event_type").asText()).isEqualTo(event.getEventType().name());
            assertThat(json.path("user_id").asText()).isEqualTo(event.getUserId());
            assertThat(Instant.parse(json.path("event_time").asText())).isEqualTo(event.getEventTime());
            assertThat(json.has("price")).isEqualTo(event.getPrice() != null);
            if (event.getPrice() != null) {
                assertThat(json.path("price").asDouble()).isEqualTo(event.getPrice());
            }
        }
    }
}
