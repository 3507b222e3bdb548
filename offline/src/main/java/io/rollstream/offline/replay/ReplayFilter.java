package io.rollstream.offline.replay;

import io.rollstream.schemas.EventType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which replayed records are written: all, or those of one user (by the event's user id, or by the
 * record's key when it does not decode), of one event type, or with one verdict (a dead-letter
 * reason, or {@value ReplayedRecord#ADMISSIBLE}). Null: any.
 */
public record ReplayFilter(String user, EventType type, String verdict) {

    public static final ReplayFilter ALL = new ReplayFilter(null, null, null);

    public ReplayFilter {
        verdict = verdict == null ? null : verdict.trim().toUpperCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the known types */
    public static EventType type(final String name) {
        try {
            return EventType.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not an event type; use one of "
                    + Arrays.toString(EventType.values()));
        }
    }

    public boolean test(final ReplayedRecord replayed) {
        if (verdict != null && !verdict.equals(replayed.verdict())) {
            return false;
        }
        if (type != null && (replayed.event() == null || replayed.event().getEventType() != type)) {
            return false;
        }
        if (user != null) {
            final String id = replayed.event() != null ? replayed.event().getUserId()
                    : replayed.record().key() == null ? null : new String(replayed.record().key(), StandardCharsets.UTF_8);
            return user.equals(id);
        }
        return true;
    }
}
