package io.rollstream.topologies.features;

import org.apache.kafka.common.utils.Bytes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keys of an entity store's records: an entity's head and its tiles stored alone sit next to each
 * other, head first, and entities sort as their keys' UTF-8 bytes do (as a String-keyed store
 * would sort them), so one key range reads an entity or a range of entities.
 *
 * <pre>
 * head: entity 0x00 0x01 0x00
 * tile: entity 0x00 0x01 (layout + 1):byte  tileStart:8 bytes big-endian, sign bit flipped
 * </pre>
 *
 * where {@code entity} is the key's UTF-8 with each 0x00 byte written as 0x00 0xFF, so that no
 * entity's key is a prefix of another's records.
 */
final class EntityStoreKeys {

    static final int MAX_LAYOUTS = 254;
    private static final byte HEAD_TAG = 0;
    private static final byte LAST_TAG = (byte) 0xFF;

    /** What a record key names. */
    record Parsed(String entity, int layout, long tileStart) {
        boolean isHead() {
            return layout < 0;
        }
    }

    private EntityStoreKeys() {
    }

    static Bytes head(final String entity) {
        final byte[] prefix = prefix(entity);
        final byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        key[prefix.length] = HEAD_TAG;
        return Bytes.wrap(key);
    }

    static Bytes tile(final String entity, final int layout, final long tileStart) {
        if (layout < 0 || layout >= MAX_LAYOUTS) {
            throw new IllegalArgumentException("layout " + layout + " out of range 0.." + (MAX_LAYOUTS - 1));
        }
        final byte[] prefix = prefix(entity);
        final byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + 1 + Long.BYTES);
        key[prefix.length] = (byte) (layout + 1);
        final long sortable = tileStart ^ Long.MIN_VALUE;
        for (int i = 0; i < Long.BYTES; i++) {
            key[prefix.length + 1 + i] = (byte) (sortable >>> (56 - 8 * i));
        }
        return Bytes.wrap(key);
    }

    /** The first key of {@code entity}'s records (its head). */
    static Bytes first(final String entity) {
        return head(entity);
    }

    /** A key after every record of {@code entity} and before the next entity's. */
    static Bytes last(final String entity) {
        final byte[] prefix = prefix(entity);
        final byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        key[prefix.length] = LAST_TAG;
        return Bytes.wrap(key);
    }

    static Parsed parse(final byte[] key) {
        final ByteArrayOutputStream entity = new ByteArrayOutputStream(key.length);
        int i = 0;
        while (i < key.length) {
            final byte b = key[i];
            if (b != 0) {
                entity.write(b);
                i++;
                continue;
            }
            if (i + 1 >= key.length) {
                throw malformed(key);
            }
            if (key[i + 1] == (byte) 0xFF) {
                entity.write(0);
                i += 2;
            } else if (key[i + 1] == 1) {
                i += 2;
                break;
            } else {
                throw malformed(key);
            }
        }
        if (i >= key.length) {
            throw malformed(key);
        }
        final String name = entity.toString(StandardCharsets.UTF_8);
        final int tag = key[i] & 0xFF;
        if (tag == HEAD_TAG && i + 1 == key.length) {
            return new Parsed(name, -1, 0);
        }
        if (tag == 0 || tag == (LAST_TAG & 0xFF) || i + 1 + Long.BYTES != key.length) {
            throw malformed(key);
        }
        long sortable = 0;
        for (int b = 0; b < Long.BYTES; b++) {
            sortable = sortable << 8 | (key[i + 1 + b] & 0xFF);
        }
        return new Parsed(name, tag - 1, sortable ^ Long.MIN_VALUE);
    }

    private static byte[] prefix(final String entity) {
        final byte[] utf8 = entity.getBytes(StandardCharsets.UTF_8);
        int zeros = 0;
        for (final byte b : utf8) {
            if (b == 0) {
                zeros++;
            }
        }
        final byte[] prefix = new byte[utf8.length + zeros + 2];
        int at = 0;
        for (final byte b : utf8) {
            prefix[at++] = b;
            if (b == 0) {
                prefix[at++] = (byte) 0xFF;
            }
        }
        prefix[at++] = 0;
        prefix[at] = 1;
        return prefix;
    }

    private static IllegalStateException malformed(final byte[] key) {
        return new IllegalStateException("entity store key of " + key.length
                + " bytes is not an entity head or tile key; the store was written by something else");
    }
}
