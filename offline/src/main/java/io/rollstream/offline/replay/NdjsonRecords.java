package io.rollstream.offline.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import org.apache.avro.Schema;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Replayed records as NDJSON, one object a line:
 *
 * <pre>
 * {"topic":…,"partition":0,"offset":41,"timestamp":"2026-12-07T12:00:00.123Z","key":"user-1",
 *  "schema_id":1,"verdict":"ADMISSIBLE","message":null,"event":{"event_id":…,"event_time":"…",…},
 *  "dead_letter":{"reason":…,"message":…,"source.topic":…}}
 * </pre>
 *
 * A key that is not UTF-8 is written as {@code key_base64}; {@code schema_id} is null for a value
 * not in the Confluent wire format; {@code event} holds every field of the schema, times as
 * ISO-8601, null when the value does not decode; {@code dead_letter} only on a dead letter.
 */
public final class NdjsonRecords implements AutoCloseable {

    private static final Schema SCHEMA = ClickEvent.getClassSchema();

    private final JsonGenerator json;

    public NdjsonRecords(final OutputStream out) {
        try {
            this.json = new ObjectMapper().getFactory().createGenerator(out);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        json.setRootValueSeparator(null);
    }

    public void write(final ReplayedRecord replayed) {
        try {
            json.writeStartObject();
            json.writeStringField("topic", replayed.record().topic());
            json.writeNumberField("partition", replayed.record().partition());
            json.writeNumberField("offset", replayed.record().offset());
            json.writeStringField("timestamp", Instant.ofEpochMilli(replayed.record().timestamp()).toString());
            writeKey(replayed.record().key());
            writeSchemaId(replayed.record().value());
            json.writeStringField("verdict", replayed.verdict());
            json.writeStringField("message", replayed.message());
            json.writeFieldName("event");
            writeEvent(replayed.event());
            if (!replayed.deadLetter().isEmpty()) {
                json.writeObjectFieldStart("dead_letter");
                for (final Map.Entry<String, String> header : replayed.deadLetter().entrySet()) {
                    json.writeStringField(header.getKey(), header.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the replay's output: " + e.getMessage(), e);
        }
    }

    private void writeKey(final byte[] key) throws IOException {
        if (key == null) {
            json.writeNullField("key");
            return;
        }
        try {
            final CharBuffer text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key));
            json.writeStringField("key", text.toString());
        } catch (final CharacterCodingException notText) {
            json.writeStringField("key_base64", Base64.getEncoder().encodeToString(key));
        }
    }

    private void writeSchemaId(final byte[] value) throws IOException {
        if (value != null && value.length >= ConfluentWireFormat.HEADER_SIZE && value[0] == ConfluentWireFormat.MAGIC_BYTE) {
            json.writeNumberField("schema_id", ConfluentWireFormat.schemaId(value));
        } else {
            json.writeNullField("schema_id");
        }
    }

    private void writeEvent(final ClickEvent event) throws IOException {
        if (event == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        for (final Schema.Field field : SCHEMA.getFields()) {
            json.writeFieldName(field.name());
            writeValue(event.get(field.pos()));
        }
        json.writeEndObject();
    }

    private void writeValue(final Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case Instant time -> json.writeString(time.toString());
            case Integer number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case Double number when !Double.isFinite(number) -> json.writeString(number.toString());
            case Double number -> json.writeNumber(number);
            case Float number -> json.writeNumber(number);
            case Boolean flag -> json.writeBoolean(flag);
            case Map<?, ?> map -> {
                json.writeStartObject();
                for (final Map.Entry<?, ?> entry : map.entrySet()) {
                    json.writeFieldName(String.valueOf(entry.getKey()));
                    writeValue(entry.getValue());
                }
                json.writeEndObject();
            }
            default -> json.writeString(value.toString());
        }
    }

    public void flush() {
        try {
            json.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the replay's output: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            json.close();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the replay's output: " + e.getMessage(), e);
        }
    }
}
