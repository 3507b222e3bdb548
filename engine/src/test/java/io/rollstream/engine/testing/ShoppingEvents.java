package io.rollstream.engine.testing;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;

import java.time.Instant;
import java.util.Map;
import java.util.Random;

/**
 * Random events for tests of any module that folds events (shared through the engine's test jar):
 * every field the default features read is set, so each feature of the default file gets values.
 */
public final class ShoppingEvents {

    private static final EventType[] TYPES = EventType.values();

    private ShoppingEvents() {
    }

    /**
     * An event of a random type for {@code user} at {@code timeMs}: one of {@code items} items, one
     * of {@code categories} categories, a price, and a query for searches; a random event id.
     */
    public static ClickEvent random(final Random random, final String user, final long timeMs, final int items,
                                    final int categories) {
        final EventType type = TYPES[random.nextInt(TYPES.length)];
        return ClickEvent.newBuilder()
                .setEventId("e-" + random.nextLong())
                .setEventType(type)
                .setUserId(user)
                .setEventTime(Instant.ofEpochMilli(timeMs))
                .setItemId("item-" + random.nextInt(items))
                .setCategory("cat-" + random.nextInt(categories))
                .setPrice(1 + random.nextInt(10_000) / 100.0)
                .setSearchQuery(type == EventType.SEARCH ? "query " + random.nextInt(50) : null)
                .setProperties(Map.of())
                .build();
    }
}
