package io.rollstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {

    @Test
    void shouldWriteMagicByteAndBigEndianSchemaId() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfluentWireFormat.writeHeader(out, 0x01020304);

        assertThat(out.toByteArray()).containsExactly(0, 1, 2, 3, 4);
        assertThat(ConfluentWireFormat.schemaId(new byte[] {0, 1, 2, 3, 4, 42})).isEqualTo(0x01020304);
        assertThat(ConfluentWireFormat.schemaId(new byte[] {0, 0, 0, 0, 7})).isEqualTo(7);
    }

    @Test
    void shouldRejectNullRecord() {
        assertThatThrownBy(() -> ConfluentWireFormat.schemaId(null))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("null");
    }

    @Test
    void shouldRejectEmptyRecord() {
        assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[0]))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("empty (0 bytes)")
                .hasMessageContaining("dead-letter");
    }

    @Test
    void shouldRejectRecordShorterThanHeader() {
        assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[] {0, 0, 1}))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("only 3 bytes")
                .hasMessageContaining("first byte 0x00")
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldRejectWrongMagicByteAndRecogniseJson() {
        byte[] json = "{\"event_id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ConfluentWireFormat.schemaId(json))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("(" + json.length + " bytes)")
                .hasMessageContaining("starts with byte 0x7B")
                .hasMessageContaining("looks like JSON");
    }

    @Test
    void shouldRejectWrongMagicByteOfBinaryData() {
        assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[] {(byte) 0xC3, 1, 2, 3, 4, 5}))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("starts with byte 0xC3, not the Confluent wire-format magic byte 0x00.");
    }
}
