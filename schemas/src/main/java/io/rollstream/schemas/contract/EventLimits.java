package io.rollstream.schemas.contract;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How large an event may be, in every part a producer controls. The collector refuses an event past
 * a limit (400 or 413, naming the field and the limit); the ingest dead-letters a record past one as
 * {@link RejectReason#OVERSIZED}, naming the field. Every part is bounded, so that nothing an event
 * carries into state, a relay topic or the dead-letter topic can grow past what Kafka's producer
 * accepts (1 MiB by default), and so that no reader allocates for a value it has not checked.
 *
 * <p>Lengths of strings are counted in UTF-16 code units (Java's {@link String#length()}), which
 * for text in the Basic Multilingual Plane is its characters; encoded sizes in bytes.
 *
 * @param maxIdChars            {@value #MAX_ID_CHARS_CONFIG}: event_id, user_id, session_id, item_id
 *                              (read back at {@code /v1/features/{entity}/{id}})
 * @param maxUrlChars           {@value #MAX_URL_CHARS_CONFIG}: page_url, referrer
 * @param maxTextChars          {@value #MAX_TEXT_CHARS_CONFIG}: every other string field of
 *                              ClickEvent (category, search_query, device, country); a field only a
 *                              newer writer has is bounded by {@link #maxEventBytes}, as the reader skips it
 * @param maxPropertyEntries    {@value #MAX_PROPERTY_ENTRIES_CONFIG}: entries of {@code properties}
 * @param maxPropertyKeyChars   {@value #MAX_PROPERTY_KEY_CHARS_CONFIG}: each key of {@code properties}
 * @param maxPropertyValueChars {@value #MAX_PROPERTY_VALUE_CHARS_CONFIG}: each value of {@code properties}
 * @param maxEventBytes         {@value #MAX_EVENT_BYTES_CONFIG}: the whole event's Avro encoding
 *                              (without the 5-byte Confluent header)
 * @param maxRecordKeyBytes     {@value #MAX_RECORD_KEY_BYTES_CONFIG}: a Kafka record's key on the events topic
 * @param maxRecordHeaderBytes  {@value #MAX_RECORD_HEADER_BYTES_CONFIG}: a Kafka record's headers
 *                              on the events topic, names and values together
 */
public record EventLimits(int maxIdChars, int maxUrlChars, int maxTextChars, int maxPropertyEntries,
                          int maxPropertyKeyChars, int maxPropertyValueChars, int maxEventBytes,
                          int maxRecordKeyBytes, int maxRecordHeaderBytes) {

    /** What every limit's setting starts with. */
    public static final String PREFIX = "rollstream.events.";
    public static final String MAX_ID_CHARS_CONFIG = PREFIX + "max-id-chars";
    public static final String MAX_URL_CHARS_CONFIG = PREFIX + "max-url-chars";
    public static final String MAX_TEXT_CHARS_CONFIG = PREFIX + "max-text-chars";
    public static final String MAX_PROPERTY_ENTRIES_CONFIG = PREFIX + "max-property-entries";
    public static final String MAX_PROPERTY_KEY_CHARS_CONFIG = PREFIX + "max-property-key-chars";
    public static final String MAX_PROPERTY_VALUE_CHARS_CONFIG = PREFIX + "max-property-value-chars";
    public static final String MAX_EVENT_BYTES_CONFIG = PREFIX + "max-event-bytes";
    public static final String MAX_RECORD_KEY_BYTES_CONFIG = PREFIX + "max-record-key-bytes";
    public static final String MAX_RECORD_HEADER_BYTES_CONFIG = PREFIX + "max-record-header-bytes";

    public static final int DEFAULT_MAX_ID_CHARS = 256;
    public static final int DEFAULT_MAX_URL_CHARS = 2048;
    public static final int DEFAULT_MAX_TEXT_CHARS = 512;
    public static final int DEFAULT_MAX_PROPERTY_ENTRIES = 32;
    public static final int DEFAULT_MAX_PROPERTY_KEY_CHARS = 64;
    public static final int DEFAULT_MAX_PROPERTY_VALUE_CHARS = 512;
    public static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_RECORD_KEY_BYTES = 1024;
    public static final int DEFAULT_MAX_RECORD_HEADER_BYTES = 8 * 1024;

    /**
     * The most any limit may be raised to: a record carrying a field at the limit must still fit,
     * with its dead-letter headers, in what Kafka's producer sends by default (1 MiB).
     */
    public static final int CEILING_BYTES = 256 * 1024;

    /**
     * What a header costs beyond its key and value, counted against {@link #maxRecordHeaderBytes}:
     * Kafka writes two lengths a header, and a header with an empty key and no value is not free;
     * without it, a record could carry a million of them inside the limit.
     */
    public static final int HEADER_OVERHEAD_BYTES = 8;

    /** The fields whose limit is {@link #maxIdChars}: entity keys and the event id. */
    public static final Set<String> ID_FIELDS = Set.of("event_id", "user_id", "session_id", "item_id");
    /** The fields whose limit is {@link #maxUrlChars}. */
    public static final Set<String> URL_FIELDS = Set.of("page_url", "referrer");

    private static final ConfigDef DEFINITION = define(new ConfigDef());

    public EventLimits {
        atLeast(MAX_ID_CHARS_CONFIG, maxIdChars, 1);
        atLeast(MAX_URL_CHARS_CONFIG, maxUrlChars, 1);
        atLeast(MAX_TEXT_CHARS_CONFIG, maxTextChars, 1);
        atLeast(MAX_PROPERTY_ENTRIES_CONFIG, maxPropertyEntries, 0);
        atLeast(MAX_PROPERTY_KEY_CHARS_CONFIG, maxPropertyKeyChars, 1);
        atLeast(MAX_PROPERTY_VALUE_CHARS_CONFIG, maxPropertyValueChars, 0);
        atLeast(MAX_EVENT_BYTES_CONFIG, maxEventBytes, 64);
        atLeast(MAX_RECORD_KEY_BYTES_CONFIG, maxRecordKeyBytes, 1);
        atLeast(MAX_RECORD_HEADER_BYTES_CONFIG, maxRecordHeaderBytes, 0);
        // A user id at its limit is the record's key: it must fit the key limit, at 3 bytes a character of UTF-8.
        if ((long) maxRecordKeyBytes < 3L * maxIdChars) {
            throw new IllegalArgumentException(MAX_RECORD_KEY_BYTES_CONFIG + " (" + maxRecordKeyBytes + ") must be at least "
                    + "3 bytes per character of " + MAX_ID_CHARS_CONFIG + " (" + maxIdChars + "): a user id at its limit is "
                    + "the record's key; raise it to " + 3L * maxIdChars);
        }
    }

    /** The documented defaults. */
    public static EventLimits defaults() {
        return fromConfig(Map.of());
    }

    /**
     * Adds every limit's setting, with its default, range and documentation, to {@code definition}:
     * the one declaration, shared by every configuration that takes event limits.
     */
    public static ConfigDef define(final ConfigDef definition) {
        final Range chars = Range.between(1, CEILING_BYTES / 4);
        return definition
                .define(MAX_ID_CHARS_CONFIG, Type.INT, DEFAULT_MAX_ID_CHARS, chars, Importance.MEDIUM,
                        "Longest event_id, user_id, session_id or item_id, in characters.")
                .define(MAX_URL_CHARS_CONFIG, Type.INT, DEFAULT_MAX_URL_CHARS, chars, Importance.LOW,
                        "Longest page_url or referrer, in characters.")
                .define(MAX_TEXT_CHARS_CONFIG, Type.INT, DEFAULT_MAX_TEXT_CHARS, chars, Importance.MEDIUM,
                        "Longest value of any other string field (category, search_query, device, country), in characters.")
                .define(MAX_PROPERTY_ENTRIES_CONFIG, Type.INT, DEFAULT_MAX_PROPERTY_ENTRIES, Range.between(0, 1024),
                        Importance.LOW, "Most entries in an event's properties map.")
                .define(MAX_PROPERTY_KEY_CHARS_CONFIG, Type.INT, DEFAULT_MAX_PROPERTY_KEY_CHARS, chars, Importance.LOW,
                        "Longest key of the properties map, in characters.")
                .define(MAX_PROPERTY_VALUE_CHARS_CONFIG, Type.INT, DEFAULT_MAX_PROPERTY_VALUE_CHARS,
                        Range.between(0, CEILING_BYTES / 4), Importance.LOW,
                        "Longest value of the properties map, in characters.")
                .define(MAX_EVENT_BYTES_CONFIG, Type.INT, DEFAULT_MAX_EVENT_BYTES, Range.between(64, CEILING_BYTES),
                        Importance.MEDIUM, "Largest Avro encoding of a whole event, in bytes (without the 5-byte "
                                + "Confluent wire-format header).")
                .define(MAX_RECORD_KEY_BYTES_CONFIG, Type.INT, DEFAULT_MAX_RECORD_KEY_BYTES,
                        Range.between(1, CEILING_BYTES / 4), Importance.LOW,
                        "Largest key of a record on the events topic, in bytes.")
                .define(MAX_RECORD_HEADER_BYTES_CONFIG, Type.INT, DEFAULT_MAX_RECORD_HEADER_BYTES,
                        Range.between(0, CEILING_BYTES / 4), Importance.LOW,
                        "Largest headers of a record on the events topic, names and values together, in bytes.");
    }

    /**
     * The limits set in {@code settings} (keys {@code rollstream.events.*}; others ignored), the
     * defaults for the rest.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the setting that is out of range
     */
    public static EventLimits fromConfig(final Map<String, ?> settings) {
        final Map<String, Object> ours = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                ours.put(key, value);
            }
        });
        final AbstractConfig config = new AbstractConfig(DEFINITION, ours, false);
        return new EventLimits(config.getInt(MAX_ID_CHARS_CONFIG), config.getInt(MAX_URL_CHARS_CONFIG),
                config.getInt(MAX_TEXT_CHARS_CONFIG), config.getInt(MAX_PROPERTY_ENTRIES_CONFIG),
                config.getInt(MAX_PROPERTY_KEY_CHARS_CONFIG), config.getInt(MAX_PROPERTY_VALUE_CHARS_CONFIG),
                config.getInt(MAX_EVENT_BYTES_CONFIG), config.getInt(MAX_RECORD_KEY_BYTES_CONFIG),
                config.getInt(MAX_RECORD_HEADER_BYTES_CONFIG));
    }

    /**
     * The limits named on a command line: each name with or without the {@value #PREFIX} prefix
     * ({@code max-text-chars=1024}), the defaults for the rest.
     *
     * @throws IllegalArgumentException for a name that is not a limit, listing the limits
     */
    public static EventLimits fromNamed(final Map<String, String> named) {
        final Map<String, String> settings = new LinkedHashMap<>();
        named.forEach((name, value) -> {
            final String setting = name.startsWith(PREFIX) ? name : PREFIX + name;
            if (!DEFINITION.names().contains(setting)) {
                throw new IllegalArgumentException("'" + name + "' is not a limit of the event contract; the limits are "
                        + DEFINITION.names());
            }
            settings.put(setting, value);
        });
        return fromConfig(settings);
    }

    /** Every limit's setting. */
    public static Set<String> names() {
        return DEFINITION.names();
    }

    /** What {@code header} counts against {@link #maxRecordHeaderBytes}: its key's UTF-8, its value, and the overhead. */
    public static long headerBytes(final Header header) {
        return HEADER_OVERHEAD_BYTES + header.key().getBytes(StandardCharsets.UTF_8).length
                + (header.value() == null ? 0 : header.value().length);
    }

    /** What a record's headers count against {@link #maxRecordHeaderBytes}. */
    public static long headerBytes(final Iterable<Header> headers) {
        long bytes = 0;
        for (final Header header : headers) {
            bytes += headerBytes(header);
        }
        return bytes;
    }

    /** The longest value the string field {@code field} may have, in characters. */
    public int maxChars(final String field) {
        if (ID_FIELDS.contains(field)) {
            return maxIdChars;
        }
        return URL_FIELDS.contains(field) ? maxUrlChars : maxTextChars;
    }

    /** The config key of the limit that bounds the string field {@code field}. */
    public static String configOf(final String field) {
        if (ID_FIELDS.contains(field)) {
            return MAX_ID_CHARS_CONFIG;
        }
        return URL_FIELDS.contains(field) ? MAX_URL_CHARS_CONFIG : MAX_TEXT_CHARS_CONFIG;
    }

    private static void atLeast(final String name, final int value, final int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
        }
    }
}
