package io.rollstream.engine;

import io.rollstream.engine.field.EventField;
import io.rollstream.engine.field.FieldType;
import io.rollstream.schemas.ClickEvent;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What features are computed per: a name ({@code user}, {@code item}, {@code user_category}) and
 * the event fields whose values make its key. A key joins its values with {@value #SEPARATOR}
 * ({@code user-1|books}); a {@value #SEPARATOR} or {@value #ESCAPE} inside a value is escaped with
 * {@value #ESCAPE}, so any value works. The first key field decides the partition an entity lives
 * on, so features of {@code user_category} sit beside the user's own.
 */
public record EntityDefinition(String name, List<EventField> keyFields) {

    public static final char SEPARATOR = '|';
    public static final char ESCAPE = '\\';
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
            final Object value = keyFields.get(0).value(event);
            return value == null ? null : escape((String) value);
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
            key.append(escape((String) value));
        }
        return key.toString();
    }

    /**
     * The key for an id as a caller names it: for a one-field entity the raw value (any text), for
     * a composite one its values joined with {@value #SEPARATOR}, escaped as keys are.
     *
     * @throws IllegalArgumentException saying what a composite id looks like
     */
    public String keyForId(final String id) {
        if (keyFields.size() == 1) {
            return escape(id);
        }
        if (!isWellFormed(id)) {
            throw new IllegalArgumentException("'" + id + "' is not an id of entity '" + name + "': it is keyed by "
                    + keyFields.stream().map(EventField::name).toList() + ", joined with '" + SEPARATOR
                    + "' (escape a '" + SEPARATOR + "' or '" + ESCAPE + "' inside a value with '" + ESCAPE + "')");
        }
        return id;
    }

    private static String escape(final String value) {
        if (value.indexOf(SEPARATOR) < 0 && value.indexOf(ESCAPE) < 0) {
            return value;
        }
        final StringBuilder escaped = new StringBuilder(value.length() + 4);
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == SEPARATOR || c == ESCAPE) {
                escaped.append(ESCAPE);
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** The field whose value decides the partition (the first key field). */
    public EventField partitionField() {
        return keyFields.get(0);
    }

    /**
     * The value that decides a key's partition: its first component, unescaped — the raw value of
     * the first key field, hashed as the events carrying it were.
     */
    public static String partitionPart(final String key) {
        if (key.indexOf(ESCAPE) < 0) {
            final int separator = key.indexOf(SEPARATOR);
            return separator < 0 ? key : key.substring(0, separator);
        }
        final StringBuilder first = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            final char c = key.charAt(i);
            if (c == ESCAPE && i + 1 < key.length()) {
                first.append(key.charAt(++i));
            } else if (c == SEPARATOR) {
                break;
            } else {
                first.append(c);
            }
        }
        return first.toString();
    }

    /** Whether a key has as many (non-escaped) components as this entity has key fields. */
    public boolean isWellFormed(final String key) {
        int components = 1;
        for (int i = 0; i < key.length(); i++) {
            final char c = key.charAt(i);
            if (c == ESCAPE) {
                i++;
            } else if (c == SEPARATOR) {
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
