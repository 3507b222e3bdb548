package io.rollstream.engine;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;

import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Builds minimal valid events for tests. */
final class Events {

    private static final AtomicLong IDS = new AtomicLong();

    private Events() {
    }

    private static final EventType[] TYPES = EventType.values();

    /**
     * An event of a random type for {@code user} at {@code time}, with every field the default
     * features read: one of {@code items} items, one of {@code categories} categories, a price, and
     * a query for searches.
     */
    static ClickEvent shopping(final Random random, final String user, final long time, final int items,
                               final int categories) {
        final EventType type = TYPES[random.nextInt(TYPES.length)];
        return ClickEvent.newBuilder()
                .setEventId("e-" + random.nextLong())
                .setEventType(type)
                .setUserId(user)
                .setEventTime(Instant.ofEpochMilli(time))
                .setItemId("item-" + random.nextInt(items))
                .setCategory("cat-" + random.nextInt(categories))
                .setPrice(1 + random.nextInt(10_000) / 100.0)
                .setSearchQuery(type == EventType.SEARCH ? "query " + random.nextInt(50) : null)
                .setProperties(Map.of())
                .build();
    }

    static ClickEvent event(final String user, final EventType type, final Instant time) {
        return ClickEvent.newBuilder()
                .setEventId("e-" + IDS.incrementAndGet())
                .setEventType(type)
                .setUserId(user)
                .setEventTime(time)
                .setProperties(Map.of())
                .build();
    }
}
