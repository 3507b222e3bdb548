package io.rollstream.collector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reads a request body within the size limit and checks that it is UTF-8, before any JSON parsing. */
final class RequestBody {

    private RequestBody() {
    }

    /**
     * The body's bytes.
     *
     * @param declaredLength the {@code Content-Length}, or -1 when the body is chunked
     * @throws RequestException 413 when the body is, or announces to be, longer than {@code limit}
     */
    static byte[] read(final InputStream in, final long declaredLength, final int limit)
            throws IOException, RequestException {
        if (declaredLength > limit) {
            throw tooLarge(declaredLength + " bytes", limit);
        }
        // A chunked body has no length up front: read one byte past the limit to know it is over.
        final byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            throw tooLarge("more than " + limit + " bytes", limit);
        }
        return body;
    }

    /**
     * Checks the body is well-formed UTF-8, so that a wrong encoding gets its own answer instead of a puzzling
     * JSON error or, worse, mangled strings in the events.
     *
     * @throws RequestException 400 naming the offset of the first malformed byte
     */
    static void requireUtf8(final byte[] body) throws RequestException {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        final ByteBuffer in = ByteBuffer.wrap(body);
        final CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            final CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new RequestException(400, String.format("The body is not valid UTF-8: byte 0x%02X at offset %d "
                        + "does not continue a UTF-8 sequence. Send the JSON encoded as UTF-8.",
                        body[in.position()] & 0xFF, in.position()));
            }
            if (result.isUnderflow()) {
                return;
            }
            out.clear();
        }
    }

    private static RequestException tooLarge(final String size, final int limit) {
        return new RequestException(413, "The body is " + size + ", over the limit of " + limit + " bytes per "
                + "request; split the events into smaller batches.", Map.of("limit_bytes", limit));
    }
}
