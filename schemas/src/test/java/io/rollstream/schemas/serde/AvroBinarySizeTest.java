package io.rollstream.schemas.serde;

import static io.rollstream.schemas.TestSchemas.sampleEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AvroBinarySizeTest {

    private final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(
            new InMemorySchemaRegistryClient("size-test"), SerializerOptions.forValues());

    @Test
    void shouldCountExactlyTheBytesAvroWritesForAnyEvent() {
        final Random random = new Random(3);
        final String[] alphabets = {"ab", "é€", "\uD83D\uDE00x", "\uD800"};
        for (int i = 0; i < 2_000; i++) {
            final ClickEvent event = ClickEvent.newBuilder(sampleEvent())
                    .setEventType(EventType.values()[random.nextInt(EventType.values().length)])
                    .setEventTime(Instant.ofEpochMilli(random.nextLong()))
                    .setCategory(random.nextBoolean() ? null : text(random, alphabets))
                    .setQuantity(random.nextBoolean() ? null : random.nextInt())
                    .setPrice(random.nextBoolean() ? null : random.nextDouble())
                    .setSearchQuery(text(random, alphabets))
                    .setProperties(properties(random, alphabets))
                    .build();

            assertThat(AvroBinarySize.of(event)).as("event %d", i)
                    .isEqualTo(serializer.serialize("t", event).length - ConfluentWireFormat.HEADER_SIZE);
        }
    }

    private static String text(final Random random, final String[] alphabets) {
        final StringBuilder text = new StringBuilder();
        final int length = random.nextInt(200);
        for (int i = 0; i < length; i++) {
            text.append(alphabets[random.nextInt(alphabets.length)]);
        }
        return text.toString();
    }

    private static Map<String, String> properties(final Random random, final String[] alphabets) {
        final Map<String, String> properties = new HashMap<>();
        final int entries = random.nextInt(5);
        for (int i = 0; i < entries; i++) {
            properties.put("k" + i + text(random, alphabets), text(random, alphabets));
        }
        return properties;
    }
}
