package io.rollstream.engine;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds minimal valid events for tests. */
final class Events {

    private static final AtomicLong IDS = new AtomicLong();

    private Events() {
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
