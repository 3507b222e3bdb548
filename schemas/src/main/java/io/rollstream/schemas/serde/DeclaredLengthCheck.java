package io.rollstream.schemas.serde;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks Avro binary with its writer schema before Avro decodes it, and refuses a record that
 * declares more than its own bytes can hold: a string or bytes length past the bytes left, a block
 * of array or map items that could not fit in them even at the smallest encoding of an item, a union
 * branch or enum symbol that does not exist, more array and map items in all than the record has
 * bytes, nesting deeper than {@value #MAX_DEPTH}. The walk is linear in the record's length.
 *
 * <p>Why: Avro allocates what a record declares before it reads it. An 81-byte record declaring a
 * 2 GB string made the process allocate 2 GB before finding the bytes missing, and a map declaring
 * 2^31 entries sizes a table for them; under a container's heap that is an
 * {@link OutOfMemoryError}, which no handler of bad records catches. After this walk every length
 * Avro will read is bounded by the record's length, so decoding allocates at most a small multiple
 * of the record. The walk itself allocates nothing unless it fails.
 *
 * <p>One instance per writer schema; safe to share between threads.
 */
final class DeclaredLengthCheck {

    /** Deeper nesting than any real event needs: a recursive schema could otherwise exhaust the stack. */
    static final int MAX_DEPTH = 64;

    private static final Schema MAP_KEY = Schema.create(Schema.Type.STRING);

    private final Schema writer;
    private final Map<Schema, Integer> minimumBytes = new IdentityHashMap<>();

    DeclaredLengthCheck(final Schema writer) {
        this.writer = writer;
        minimumOf(writer, new IdentityHashMap<>());
    }

    /**
     * Checks {@code data[offset, offset + length)}.
     *
     * @return null when every declared length fits; else what the record declares that it cannot
     *     hold, and where ({@code "declares a string of 2147483639 bytes with 3 left at category"})
     */
    String problem(final byte[] data, final int offset, final int length) {
        final Cursor cursor = new Cursor(data, offset, offset + length);
        try {
            walk(writer, cursor, 0);
            return null;
        } catch (final Refused refused) {
            return refused.getMessage() + (refused.path.isEmpty() ? "" : " at " + String.join(".", refused.path.reversed()));
        }
    }

    /**
     * The top-level field that takes the most of {@code data[offset, offset + length)}, as
     * {@code "category (600003 bytes)"}, found without decoding: what an oversized record's dead
     * letter names. Null when the record does not hold what it declares, or the schema is not a record.
     */
    String largestField(final byte[] data, final int offset, final int length) {
        if (writer.getType() != Schema.Type.RECORD) {
            return null;
        }
        final Cursor cursor = new Cursor(data, offset, offset + length);
        String largest = null;
        int largestBytes = -1;
        try {
            for (final Schema.Field field : writer.getFields()) {
                final int start = cursor.at;
                walk(field.schema(), cursor, 1);
                if (cursor.at - start > largestBytes) {
                    largestBytes = cursor.at - start;
                    largest = field.name();
                }
            }
        } catch (final Refused refused) {
            return null;
        }
        return largest == null ? null : largest + " (" + largestBytes + " bytes)";
    }

    private void walk(final Schema schema, final Cursor in, final int depth) throws Refused {
        if (depth > MAX_DEPTH) {
            throw new Refused("nests deeper than " + MAX_DEPTH + " levels");
        }
        switch (schema.getType()) {
            case NULL -> {
            }
            case BOOLEAN -> in.skip(1, "a boolean");
            case INT, LONG -> in.readLong();
            case FLOAT -> in.skip(4, "a float");
            case DOUBLE -> in.skip(8, "a double");
            case FIXED -> in.skip(schema.getFixedSize(), "a fixed of " + schema.getFixedSize() + " bytes");
            case STRING, BYTES -> {
                final long declared = in.readLong();
                if (declared < 0 || declared > in.left()) {
                    throw new Refused("declares a " + (schema.getType() == Schema.Type.STRING ? "string" : "bytes")
                            + " of " + declared + " bytes with " + in.left() + " left");
                }
                in.skip((int) declared, "");
            }
            case ENUM -> {
                final long symbol = in.readLong();
                if (symbol < 0 || symbol >= schema.getEnumSymbols().size()) {
                    throw new Refused("names enum symbol " + symbol + " of " + schema.getFullName() + ", which has "
                            + schema.getEnumSymbols().size());
                }
            }
            case UNION -> {
                final long branch = in.readLong();
                if (branch < 0 || branch >= schema.getTypes().size()) {
                    throw new Refused("names union branch " + branch + " of " + schema.getTypes().size());
                }
                walk(schema.getTypes().get((int) branch), in, depth + 1);
            }
            case RECORD -> {
                for (final Schema.Field field : schema.getFields()) {
                    try {
                        walk(field.schema(), in, depth + 1);
                    } catch (final Refused refused) {
                        refused.path.add(field.name());
                        throw refused;
                    }
                }
            }
            case ARRAY -> walkItems(schema.getElementType(), null, in, depth);
            case MAP -> walkItems(schema.getValueType(), MAP_KEY, in, depth);
        }
    }

    /** Blocks of items: a count, negative when a byte size follows it; a count of 0 ends them. */
    private void walkItems(final Schema item, final Schema key, final Cursor in, final int depth) throws Refused {
        final int itemBytes = Math.max(1, minimumBytes.getOrDefault(item, 0) + (key == null ? 0 : 1));
        for (long count = in.readLong(); count != 0; count = in.readLong()) {
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw new Refused("declares a block of " + count + " items");
                }
                count = -count;
                final long size = in.readLong();
                if (size < 0 || size > in.left()) {
                    throw new Refused("declares a block of " + size + " bytes with " + in.left() + " left");
                }
            }
            // At least a byte an item, even for items that encode to none (an array of nulls):
            // Avro allocates a slot per declared item.
            if (count > in.left() / itemBytes) {
                throw new Refused("declares " + count + " " + (key == null ? "array" : "map") + " items with "
                        + in.left() + " bytes left (an item takes at least " + itemBytes + ")");
            }
            // And no more items in all than the record has bytes: arrays of empty arrays nested in
            // each other would otherwise each declare as many as the bytes left, and cost the walk
            // (and Avro's reading) the square of the record's length.
            in.chargeItems(count);
            for (long i = 0; i < count; i++) {
                if (key != null) {
                    walk(key, in, depth + 1);
                }
                walk(item, in, depth + 1);
            }
        }
    }

    /** The fewest bytes a value of {@code schema} encodes to; a recursive reference counts as 0. */
    private int minimumOf(final Schema schema, final Map<Schema, Boolean> visiting) {
        final Integer known = minimumBytes.get(schema);
        if (known != null) {
            return known;
        }
        if (visiting.put(schema, Boolean.TRUE) != null) {
            return 0;
        }
        final int minimum = switch (schema.getType()) {
            case NULL -> 0;
            case BOOLEAN, INT, LONG, ENUM, STRING, BYTES, ARRAY, MAP -> 1;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case FIXED -> schema.getFixedSize();
            case UNION -> {
                int least = Integer.MAX_VALUE;
                for (final Schema branch : schema.getTypes()) {
                    least = Math.min(least, minimumOf(branch, visiting));
                }
                yield 1 + (least == Integer.MAX_VALUE ? 0 : least);
            }
            case RECORD -> {
                long sum = 0;
                for (final Schema.Field field : schema.getFields()) {
                    sum += minimumOf(field.schema(), visiting);
                }
                yield (int) Math.min(sum, Integer.MAX_VALUE);
            }
        };
        visiting.remove(schema);
        if (schema.getType() == Schema.Type.ARRAY) {
            minimumOf(schema.getElementType(), visiting);
        } else if (schema.getType() == Schema.Type.MAP) {
            minimumOf(schema.getValueType(), visiting);
        }
        minimumBytes.put(schema, minimum);
        return minimum;
    }

    /** The bytes of one record, read forward. */
    private static final class Cursor {
        private final byte[] data;
        private int at;
        private final int end;
        private long itemsLeft;

        Cursor(final byte[] data, final int at, final int end) {
            this.data = data;
            this.at = at;
            this.end = end;
            this.itemsLeft = end - at;
        }

        void chargeItems(final long count) throws Refused {
            if (count > itemsLeft) {
                throw new Refused("declares more array and map items in all than its " + (end - at)
                        + " remaining bytes could hold");
            }
            itemsLeft -= count;
        }

        int left() {
            return end - at;
        }

        void skip(final int bytes, final String what) throws Refused {
            if (bytes > left()) {
                throw new Refused("ends inside " + what + " (" + bytes + " bytes needed, " + left() + " left)");
            }
            at += bytes;
        }

        /** A zig-zag varint of at most 10 bytes, as Avro writes int and long. */
        long readLong() throws Refused {
            long raw = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (at >= end) {
                    throw new Refused("ends inside a number");
                }
                final int b = data[at++] & 0xFF;
                raw |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            throw new Refused("holds a number longer than 10 bytes");
        }
    }

    /** Why the walk stopped; the path is filled in innermost field first as the walk unwinds. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<String> path = new ArrayList<>();

        Refused(final String message) {
            super(message, null, false, false);
        }
    }
}
