package io.rollstream.featurestore.query;

import io.rollstream.engine.EntityDefinition;
import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.contract.EventLimits;

/**
 * What an entity id may be: 1 to {@link #maxLength} characters, none of them control characters.
 * Anything else is a caller's bug, answered with 400 rather than a silent "not found".
 */
public final class EntityIds {

    private EntityIds() {
    }

    /**
     * The longest id of {@code entity} that the event limits let an event make: its key field's
     * limit, or for a composite entity each field's limit twice over (a {@code |} or {@code \}
     * inside a value is escaped) joined by separators. Every entity whose state exists can be read.
     */
    public static int maxLength(final EntityDefinition entity, final EventLimits limits) {
        if (entity.keyFields().size() == 1) {
            return limits.maxChars(entity.keyFields().getFirst().name());
        }
        int length = entity.keyFields().size() - 1;
        for (final EventField field : entity.keyFields()) {
            length += 2 * limits.maxChars(field.name());
        }
        return length;
    }

    public static String requireValid(final String id, final int maxLength) {
        if (id == null || id.isEmpty()) {
            throw FeatureQueryException.badRequest("entity id is empty; use /v1/features/{entity}/{id}");
        }
        if (id.length() > maxLength) {
            throw FeatureQueryException.badRequest("entity id is " + id.length() + " characters; at most "
                    + maxLength + " are allowed");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw FeatureQueryException.badRequest("entity id contains a control character (code "
                        + (int) id.charAt(i) + ") at position " + i);
            }
        }
        return id;
    }
}
