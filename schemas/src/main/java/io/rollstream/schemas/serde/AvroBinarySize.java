package io.rollstream.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.util.Utf8;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The exact size of a record's Avro binary encoding, computed from its values without encoding it:
 * what a size limit on events needs where the encoding is not at hand (the collector checks an event
 * before its publisher encodes it). Knows the values generated classes hold: strings, numbers,
 * booleans, enums, {@link Instant} for timestamp-millis, byte buffers, lists, maps and records.
 */
public final class AvroBinarySize {

    private AvroBinarySize() {
    }

    /** Bytes {@code record} encodes to with its own schema (without any wire-format header). */
    public static long of(final IndexedRecord record) {
        return sizeOf(record.getSchema(), record);
    }

    private static long sizeOf(final Schema schema, final Object value) {
        return switch (schema.getType()) {
            case NULL -> 0;
            case BOOLEAN -> 1;
            case INT -> varLong(zigZag(((Number) value).intValue()));
            case LONG -> varLong(zigZag(value instanceof Instant instant ? instant.toEpochMilli() : ((Number) value).longValue()));
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case FIXED -> schema.getFixedSize();
            case ENUM -> varLong(zigZag(schema.getEnumOrdinal(value.toString())));
            case STRING -> lengthPrefixed(utf8Length(value));
            case BYTES -> lengthPrefixed(((ByteBuffer) value).remaining());
            case UNION -> {
                final int branch = GenericData.get().resolveUnion(schema, value);
                yield varLong(zigZag(branch)) + sizeOf(schema.getTypes().get(branch), value);
            }
            case RECORD -> {
                final IndexedRecord record = (IndexedRecord) value;
                long size = 0;
                for (final Schema.Field field : schema.getFields()) {
                    size += sizeOf(field.schema(), record.get(field.pos()));
                }
                yield size;
            }
            case ARRAY -> {
                final Collection<?> items = (Collection<?>) value;
                long size = items.isEmpty() ? 1 : varLong(zigZag(items.size())) + 1;
                for (final Object item : items) {
                    size += sizeOf(schema.getElementType(), item);
                }
                yield size;
            }
            case MAP -> {
                final Map<?, ?> entries = (Map<?, ?>) value;
                long size = entries.isEmpty() ? 1 : varLong(zigZag(entries.size())) + 1;
                for (final Map.Entry<?, ?> entry : entries.entrySet()) {
                    size += lengthPrefixed(utf8Length(entry.getKey())) + sizeOf(schema.getValueType(), entry.getValue());
                }
                yield size;
            }
        };
    }

    private static long lengthPrefixed(final long bytes) {
        return varLong(zigZag(bytes)) + bytes;
    }

    /** UTF-8 bytes of a string value, counted without encoding it (a lone surrogate encodes as '?', 1 byte). */
    static long utf8Length(final Object value) {
        if (value instanceof Utf8 utf8) {
            return utf8.getByteLength();
        }
        final CharSequence text = (CharSequence) value;
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static long zigZag(final long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static int varLong(final long unsigned) {
        int bytes = 1;
        for (long rest = unsigned >>> 7; rest != 0; rest >>>= 7) {
            bytes++;
        }
        return bytes;
    }
}
