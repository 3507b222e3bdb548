package io.rollstream.topologies.ingest;

import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.schemas.contract.RejectReason;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * A record for the dead-letter topic: the original key, value and headers, with
 * {@link DeadLetterHeaders} beside them saying why and where from — and never larger than
 * {@link #MAX_BYTES}, whatever it was sent. A dead letter that Kafka's producer refused would fail
 * the stream thread on the very record it was meant to set aside, again at every restart.
 *
 * <p>So each part is bounded: a value over {@link #MAX_VALUE_BYTES} or a key over
 * {@link #MAX_KEY_BYTES} keeps its first bytes, and says its original length in
 * {@link DeadLetterHeaders#VALUE_TRUNCATED_FROM} or {@link DeadLetterHeaders#KEY_TRUNCATED_FROM};
 * original headers are kept when they fit in {@link #MAX_ORIGINAL_HEADER_BYTES} (counted as the event
 * limits count them), else none is and their number is in {@link DeadLetterHeaders#HEADERS_DROPPED};
 * the message is cut at {@link #MAX_MESSAGE_CHARS}. Only a record the event limits refused
 * ({@link RejectReason#OVERSIZED}) can be cut, since the ingest refuses a value, key or headers past
 * their limits before anything else: the whole original stays at its source offset for as long as
 * the topic retains it.
 */
public record DeadLetter(byte[] key, byte[] value, Headers headers) {

    public static final int MAX_VALUE_BYTES = 512 * 1024;
    public static final int MAX_KEY_BYTES = 4 * 1024;
    public static final int MAX_ORIGINAL_HEADER_BYTES = 16 * 1024;
    public static final int MAX_MESSAGE_CHARS = 2000;
    /** The largest dead letter: every bounded part, and room for Rollstream's own headers and Kafka's framing. */
    public static final int MAX_BYTES = MAX_VALUE_BYTES + MAX_KEY_BYTES + MAX_ORIGINAL_HEADER_BYTES + 16 * 1024;

    /** Where the record was read, when Kafka Streams knows it. */
    public record Source(String topic, int partition, long offset) {
        public static Optional<Source> of(final Optional<RecordMetadata> metadata) {
            return metadata.map(m -> new Source(m.topic(), m.partition(), m.offset()));
        }
    }

    public static DeadLetter of(final byte[] key, final byte[] value, final Headers original, final RejectReason reason,
                                final String exceptionClass, final String message, final Optional<Source> source,
                                final long nowMs) {
        final Headers headers = new RecordHeaders();
        // All of them or none: a record's headers past the bound are one hostile whole, and walking
        // a million of them one by one is a cost of its own.
        final boolean keep = EventLimits.headerBytes(original) <= MAX_ORIGINAL_HEADER_BYTES;
        int dropped = 0;
        for (final Header header : original) {
            if (keep && !header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                headers.add(header);
            } else if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                dropped++;
            }
        }
        put(headers, DeadLetterHeaders.REASON, reason.name());
        put(headers, DeadLetterHeaders.EXCEPTION, cut(exceptionClass));
        put(headers, DeadLetterHeaders.MESSAGE, cut(message));
        source.ifPresent(at -> {
            put(headers, DeadLetterHeaders.SOURCE_TOPIC, at.topic());
            put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(at.partition()));
            put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(at.offset()));
        });
        put(headers, DeadLetterHeaders.TIME, Instant.ofEpochMilli(nowMs).toString());
        if (dropped > 0) {
            put(headers, DeadLetterHeaders.HEADERS_DROPPED, Integer.toString(dropped));
        }
        return new DeadLetter(bounded(key, MAX_KEY_BYTES, DeadLetterHeaders.KEY_TRUNCATED_FROM, headers),
                bounded(value, MAX_VALUE_BYTES, DeadLetterHeaders.VALUE_TRUNCATED_FROM, headers), headers);
    }

    private static byte[] bounded(final byte[] bytes, final int max, final String header, final Headers headers) {
        if (bytes == null || bytes.length <= max) {
            return bytes;
        }
        put(headers, header, Integer.toString(bytes.length));
        return Arrays.copyOf(bytes, max);
    }

    private static String cut(final String text) {
        if (text == null || text.length() <= MAX_MESSAGE_CHARS) {
            return text;
        }
        return text.substring(0, MAX_MESSAGE_CHARS) + "… (" + (text.length() - MAX_MESSAGE_CHARS) + " more characters)";
    }

    private static void put(final Headers headers, final String key, final String value) {
        headers.remove(key);
        headers.add(key, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
