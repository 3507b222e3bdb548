package io.rollstream.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The Confluent wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), then the
 * Avro binary encoding of the record with that schema. Any Confluent-compatible producer writes it.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int SCHEMA_ID_SIZE = 4;
    /** Magic byte plus schema id; the Avro payload starts here. */
    public static final int HEADER_SIZE = 1 + SCHEMA_ID_SIZE;

    private static final String NOT_CONFLUENT_AVRO = "It was not written by a Confluent-wire Avro serializer: "
            + "dead-letter it and check the producer's value.serializer.";

    private ConfluentWireFormat() {
    }

    /** Writes the header naming {@code schemaId}; the Avro payload goes after it. */
    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(SCHEMA_ID_SIZE).putInt(schemaId).array());
    }

    /**
     * The schema id in {@code record}'s header.
     *
     * @throws MalformedRecordException when {@code record} is null, shorter than the header, or does not
     *     start with the magic byte; the message says which, with the length and first byte
     */
    public static int schemaId(byte[] record) {
        if (record == null) {
            throw new MalformedRecordException("The record is null (no bytes at all), so it has no Confluent "
                    + "wire-format header. " + NOT_CONFLUENT_AVRO);
        }
        if (record.length == 0) {
            throw new MalformedRecordException("The record is empty (0 bytes); a Confluent wire-format record has "
                    + "at least " + HEADER_SIZE + " (magic byte 0, 4-byte schema id). " + NOT_CONFLUENT_AVRO);
        }
        if (record[0] != MAGIC_BYTE) {
            throw new MalformedRecordException("The record (" + record.length + " bytes) starts with byte "
                    + describeByte(record[0]) + ", not the Confluent wire-format magic byte 0x00"
                    + looksLike(record[0]) + ". " + NOT_CONFLUENT_AVRO);
        }
        if (record.length < HEADER_SIZE) {
            throw new MalformedRecordException("The record has only " + record.length + " bytes (first byte "
                    + describeByte(record[0]) + "); a Confluent wire-format record starts with a " + HEADER_SIZE
                    + "-byte header (magic byte 0, 4-byte schema id). It is truncated. " + NOT_CONFLUENT_AVRO);
        }
        return ByteBuffer.wrap(record, 1, SCHEMA_ID_SIZE).getInt();
    }

    private static String describeByte(byte value) {
        return String.format("0x%02X", value & 0xFF);
    }

    /** A hint for the usual culprits: JSON or plain text produced to an Avro topic. */
    private static String looksLike(byte first) {
        if (first == '{' || first == '[') {
            return " ('" + (char) first + "': it looks like JSON)";
        }
        if (first >= 0x20 && first < 0x7F) {
            return " ('" + (char) first + "': it looks like text)";
        }
        return "";
    }
}
