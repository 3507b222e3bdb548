package io.rollstream.client;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of one URL path segment (RFC 3986): every byte of the UTF-8 form except the
 * unreserved characters becomes {@code %XX}, so an id holding {@code /}, {@code |}, {@code ?},
 * {@code +}, spaces or any Unicode stays one segment and reaches the server unchanged.
 * {@link java.net.URLEncoder} is not this: it writes a space as {@code +}, which a path keeps literally.
 */
final class PathSegment {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegment() {
    }

    static String encode(final String text) {
        final byte[] utf8;
        try {
            final var encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
            utf8 = new byte[encoded.remaining()];
            encoded.get(utf8);
        } catch (final CharacterCodingException e) {
            throw new IllegalArgumentException("'" + text + "' is not valid Unicode (an unpaired surrogate?); "
                    + "it cannot be sent as UTF-8", e);
        }
        final StringBuilder out = new StringBuilder(utf8.length + 8);
        for (final byte b : utf8) {
            final int c = b & 0xFF;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(final int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
