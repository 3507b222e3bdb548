package io.rollstream.it.hostile;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Records in the Confluent wire format whose Avro declares far more than the record holds: a
 * string, a map or an array of 2^31 - 9, in a record of a few dozen bytes. Avro itself would
 * allocate what they declare before finding the bytes missing.
 */
final class HostileAvro {

    /** The length or count each record declares. */
    static final long HUGE = (1L << 31) - 9;

    /** ClickEvent with an array after all its fields: a compatible newer writer, whose extra field the reader skips. */
    static final Schema WITH_TAGS = withTags();

    private HostileAvro() {
    }

    /** A ClickEvent whose category declares a string of {@link #HUGE} bytes. */
    static byte[] hugeString(final int clickEventId, final String user) {
        return record(clickEventId, out -> {
            prefix(out, user);
            out.writeIndex(1);
            out.writeLong(HUGE);
        });
    }

    /** A ClickEvent whose properties declare {@link #HUGE} entries. */
    static byte[] hugeMap(final int clickEventId, final String user) {
        return record(clickEventId, out -> {
            prefix(out, user);
            nullsUpToProperties(out);
            out.writeMapStart();
            out.setItemCount(HUGE);
        });
    }

    /** A {@link #WITH_TAGS} record whose tags declare {@link #HUGE} items. */
    static byte[] hugeArray(final int withTagsId, final String user) {
        return record(withTagsId, out -> {
            prefix(out, user);
            nullsUpToProperties(out);
            out.writeMapStart();
            out.setItemCount(0);
            out.writeMapEnd();
            out.writeArrayStart();
            out.setItemCount(HUGE);
        });
    }

    /** event_id, event_type PRODUCT_VIEW, user_id, no session_id, event_time, no item_id. */
    private static void prefix(final BinaryEncoder out, final String user) throws IOException {
        out.writeString("bomb-" + user);
        out.writeEnum(2);
        out.writeIndex(1);
        out.writeString(user);
        out.writeIndex(0);
        out.writeLong(System.currentTimeMillis());
        out.writeIndex(0);
    }

    /** category, price, quantity, search_query, page_url, referrer, device, country: all null. */
    private static void nullsUpToProperties(final BinaryEncoder out) throws IOException {
        for (int field = 0; field < 8; field++) {
            out.writeIndex(0);
        }
    }

    private interface Body {
        void write(BinaryEncoder out) throws IOException;
    }

    private static byte[] record(final int schemaId, final Body body) {
        try {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ConfluentWireFormat.writeHeader(bytes, schemaId);
            final BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema withTags() {
        final String clickEvent = ClickEvent.getClassSchema().toString();
        return new Schema.Parser().parse(clickEvent.substring(0, clickEvent.lastIndexOf(']'))
                + ",{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"},\"default\":[]}]}");
    }
}
