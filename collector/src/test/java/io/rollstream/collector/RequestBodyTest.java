package io.rollstream.collector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBodyTest {

    @Test
    void shouldReadABodyUpToTheLimit() throws Exception {
        final byte[] body = new byte[2048];
        assertThat(RequestBody.read(new ByteArrayInputStream(body), 2048, 2048)).hasSize(2048);
        assertThat(RequestBody.read(new ByteArrayInputStream(body), -1, 2048)).hasSize(2048);
    }

    @Test
    void shouldRefuseABodyOverTheLimitWith413WhetherDeclaredOrChunked() {
        final byte[] body = new byte[2049];
        assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(body), 2049, 2048))
                .isInstanceOfSatisfying(RequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("2049 bytes, over the limit of 2048 bytes");
                    assertThat(e.details()).containsEntry("limit_bytes", 2048);
                });
        assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(body), -1, 2048))
                .isInstanceOfSatisfying(RequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("more than 2048 bytes");
                });
    }

    @Test
    void shouldAcceptUtf8WithMultiByteCharacters() throws Exception {
        RequestBody.requireUtf8("{\"search_query\":\"café 東京 🎉\"}".getBytes(StandardCharsets.UTF_8));
        RequestBody.requireUtf8(("x".repeat(10_000) + "é").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseLatin1NamingTheOffsetOfTheBadByte() {
        final byte[] latin1 = "{\"city\":\"Zürich\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RequestBody.requireUtf8(latin1)).isInstanceOfSatisfying(RequestException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("The body is not valid UTF-8: byte 0xFC at offset 10 does not continue "
                    + "a UTF-8 sequence. Send the JSON encoded as UTF-8.");
        });
    }

    @Test
    void shouldRefuseOverlongTruncatedAndUtf16Encodings() {
        for (final byte[] bad : new byte[][] {
                {'{', (byte) 0xC0, (byte) 0x80, '}'},                // overlong NUL
                {'"', 'a', (byte) 0xE2, (byte) 0x82},                // truncated at the end
                "{}".getBytes(StandardCharsets.UTF_16),             // byte-order mark FE FF
                {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}}) { // a UTF-16 surrogate encoded in UTF-8
            assertThatThrownBy(() -> RequestBody.requireUtf8(bad)).isInstanceOfSatisfying(RequestException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""})
    void shouldTakeJson(final String contentType) throws Exception {
        assertThat(BodyFormat.of(contentType)).isEqualTo(BodyFormat.JSON);
    }

    @Test
    void shouldTakeNdjson() throws Exception {
        assertThat(BodyFormat.of("application/x-ndjson")).isEqualTo(BodyFormat.NDJSON);
    }

    @Test
    void shouldRefuseOtherMediaTypesAndCharsetsWith415() {
        assertThatThrownBy(() -> BodyFormat.of(null)).isInstanceOfSatisfying(RequestException.class, e -> {
            assertThat(e.status()).isEqualTo(415);
            assertThat(e.getMessage()).contains("no Content-Type").contains("application/x-ndjson");
        });
        assertThatThrownBy(() -> BodyFormat.of("application/x-www-form-urlencoded"))
                .isInstanceOfSatisfying(RequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(415);
                    assertThat(e.getMessage()).startsWith("Content-Type application/x-www-form-urlencoded is not supported");
                });
        assertThatThrownBy(() -> BodyFormat.of("application/json; charset=iso-8859-1"))
                .isInstanceOfSatisfying(RequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(415);
                    assertThat(e.getMessage()).contains("charset iso-8859-1 is not supported");
                });
    }
}
