package io.rollstream.collector;

import java.util.Locale;

/** How a request body holds its events, from its {@code Content-Type}. */
enum BodyFormat {
    /** One event as a JSON object, or a JSON array of events. */
    JSON("application/json"),
    /** One JSON event per line (newline-delimited JSON). */
    NDJSON("application/x-ndjson");

    private final String mediaType;

    BodyFormat(final String mediaType) {
        this.mediaType = mediaType;
    }

    /**
     * The format a {@code Content-Type} header names.
     *
     * @throws RequestException 415 for a missing or other media type, or a charset other than UTF-8
     */
    static BodyFormat of(final String contentType) throws RequestException {
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("The request has no Content-Type");
        }
        final String[] parts = contentType.split(";");
        final String type = parts[0].trim().toLowerCase(Locale.ROOT);
        BodyFormat format = null;
        for (final BodyFormat candidate : values()) {
            if (candidate.mediaType.equals(type)) {
                format = candidate;
            }
        }
        if (format == null) {
            throw unsupported("Content-Type " + parts[0].trim() + " is not supported");
        }
        for (int i = 1; i < parts.length; i++) {
            final String[] parameter = parts[i].split("=", 2);
            if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("charset")) {
                final String charset = parameter[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new RequestException(415, "charset " + charset + " is not supported: send the body "
                            + "encoded as UTF-8 (charset=utf-8, or no charset parameter)");
                }
            }
        }
        return format;
    }

    private static RequestException unsupported(final String problem) {
        return new RequestException(415, problem + "; send events as Content-Type: application/json (one object "
                + "or an array of objects) or application/x-ndjson (one object per line)");
    }
}
