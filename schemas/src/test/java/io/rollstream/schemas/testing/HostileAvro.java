package io.rollstream.schemas.testing;

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
 * allocate what they declare before finding the bytes missing. Shared by the unit tests of the
 * check that refuses them and the integration tests that send them to a running instance.
 */
public final class HostileAvro {

    /** The length or count each record declares. */
    public static final long HUGE = (1L << 31) - 9;

    /** ClickEvent with an array after all its fields: a compatible newer writer, whose extra field the reader skips. */
    public static final Schema WITH_TAGS = withTags();

    private HostileAvro() {
    }

    /** A ClickEvent whose category declares a string of {@link #HUGE} bytes. */
    public static byte[] hugeString(final int clickEventId, final String user) {
        return record(clickEventId, out -> {
            prefix(out, user);
            out.writeIndex(1);
            out.writeLong(HUGE);
        });
    }

    /** A ClickEvent whose properties declare {@link #HUGE} entries. */
    public static byte[] hugeMap(final int clickEventId, final String user) {
        return record(clickEventId, out -> {
            prefix(out, user);
            nullsUpToProperties(out);
            out.writeMapStart();
            out.setItemCount(HUGE);
        });
    }

    /** A {@link #WITH_TAGS} record whose tags declare {@link #HUGE} items. */
    public static byte[] hugeArray(final int withTagsId, final String user) {
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

    /** A record whose body {@code body} writes, after the wire-format header naming {@code schemaId}. */
    public static byte[] record(final int schemaId, final Body body) {
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

    /** event_id, event_type PRODUCT_VIEW, user_id, no session_id, event_time, no item_id. */
    public static void prefix(final BinaryEncoder out, final String user) throws IOException {
        out.writeString("bomb-" + user);
        out.writeEnum(2);
        out.writeIndex(1);
        out.writeString(user);
        out.writeIndex(0);
        out.writeLong(System.currentTimeMillis());
        out.writeIndex(0);
    }

    /** category, price, quantity, search_query, page_url, referrer, device, country: all null. */
    public static void nullsUpToProperties(final BinaryEncoder out) throws IOException {
        for (int field = 0; field < 8; field++) {
            out.writeIndex(0);
        }
    }

    /** Writes an Avro body, true or not. */
    public interface Body {
        void write(BinaryEncoder out) throws IOException;
    }

    private static Schema withTags() {
        final String clickEvent = ClickEvent.getClassSchema().toString();
        return new Schema.Parser().parse(clickEvent.substring(0, clickEvent.lastIndexOf(']'))
                + ",{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"},\"default\":[]}]}");
    }
}
