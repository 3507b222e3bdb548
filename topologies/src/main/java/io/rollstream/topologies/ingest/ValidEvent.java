package io.rollstream.topologies.ingest;

import io.rollstream.schemas.ClickEvent;

/**
 * A decoded, validated event, still carrying its original bytes so that a later stage can
 * dead-letter it (a late event) or move it to its owner partition without re-encoding.
 * Passed between processors in memory only; never serialized.
 */
public record ValidEvent(ClickEvent event, byte[] originalValue) {

    public long eventTimeMs() {
        return event.getEventTime().toEpochMilli();
    }
}
