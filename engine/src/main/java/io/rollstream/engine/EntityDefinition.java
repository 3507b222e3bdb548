package io.rollstream.engine;

import io.rollstream.engine.field.EventField;
import io.rollstream.engine.field.FieldType;
import io.rollstream.schemas.ClickEvent;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What features are computed per: a name ({@code user}, {@code item}, {@code user_category}) and
 * the event fields whose values make its key. A composite key joins its values with
 * {@value #SEPARATOR}: {@code user-1|books}. The first key field decides the partition an entity
 * lives on, so features of {@code user_category} sit beside the user's own.
 */
public record EntityDefinition(String name, List<EventField> keyFields) {

    public static final char SEPARATOR = '|';
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public EntityDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("entity name '" + name
                    + "' must be lower snake case (letters, digits, underscores, starting with a letter)");
        }
        keyFields = List.copyOf(keyFields);
        if (keyFields.isEmpty()) {
            throw new IllegalArgumentException("entity '" + name + "' needs at least one key field");
        }
        for (final EventField field : keyFields) {
            if (field.type() != FieldType.STRING) {
                throw new IllegalArgumentException("entity '" + name + "' is keyed by '" + field.name() + "', a "
                        + field.type() + " field; key fields must be strings such as user_id, item_id or category");
            }
        }
    }

    /** The entity key of this event, or null when the event lacks one of the key fields. */
    public String keyOf(final ClickEvent event) {
        if (keyFields.size() == 1) {
            return (String) keyFields.get(0).value(event);
        }
        final StringBuilder key = new StringBuilder(32);
        for (int i = 0; i < keyFields.size(); i++) {
            final Object value = keyFields.get(i).value(event);
            if (value == null) {
                return null;
            }
            if (i > 0) {
                key.append(SEPARATOR);
            }
            key.append(value);
        }
        return key.toString();
    }

    /** The field whose value decides the partition (the first key field). */
    public EventField partitionField() {
        return keyFields.get(0);
    }

    /** The part of a key that decides its partition: everything before the first separator. */
    public static String partitionPart(final String key) {
        final int separator = key.indexOf(SEPARATOR);
        return separator < 0 ? key : key.substring(0, separator);
    }

    /** Whether a key has as many components as this entity has key fields. */
    public boolean isWellFormed(final String key) {
        int components = 1;
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == SEPARATOR) {
                components++;
            }
        }
        return components == keyFields.size() && !key.isEmpty();
    }

    String signature() {
        final StringBuilder signature = new StringBuilder(name).append('[');
        keyFields.forEach(field -> signature.append(field.name()).append(','));
        return signature.append(']').toString();
    }
}
