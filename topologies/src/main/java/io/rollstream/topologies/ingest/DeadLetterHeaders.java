package io.rollstream.topologies.ingest;

import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The headers that say why a record was dead-lettered and where it came from; {@link DeadLetter}
 * adds them beside the record's original key, value and headers.
 */
public final class DeadLetterHeaders {

    /** Every header Rollstream adds starts with this; a record's own headers of that name are not kept. */
    public static final String PREFIX = "rollstream.dlq.";
    public static final String REASON = "rollstream.dlq.reason";
    public static final String EXCEPTION = "rollstream.dlq.exception";
    public static final String MESSAGE = "rollstream.dlq.message";
    public static final String SOURCE_TOPIC = "rollstream.dlq.source.topic";
    public static final String SOURCE_PARTITION = "rollstream.dlq.source.partition";
    public static final String SOURCE_OFFSET = "rollstream.dlq.source.offset";
    public static final String TIME = "rollstream.dlq.time";
    /** The original value's length, when the dead letter keeps only its first bytes. */
    public static final String VALUE_TRUNCATED_FROM = "rollstream.dlq.value-truncated-from";
    /** The original key's length, when the dead letter keeps only its first bytes. */
    public static final String KEY_TRUNCATED_FROM = "rollstream.dlq.key-truncated-from";
    /** How many of the record's own headers were left out to keep the dead letter bounded. */
    public static final String HEADERS_DROPPED = "rollstream.dlq.headers-dropped";

    private DeadLetterHeaders() {
    }

    /** The last value of a header as UTF-8, for readers of the dead-letter topic. */
    public static Optional<String> read(final Headers headers, final String key) {
        final var header = headers.lastHeader(key);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
