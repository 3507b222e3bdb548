package io.rollstream.topologies.ingest;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The headers that say why a record was dead-lettered and where it came from. The record keeps
 * its original key, value and headers; these are added beside them.
 */
public final class DeadLetterHeaders {

    public static final String REASON = "rollstream.dlq.reason";
    public static final String EXCEPTION = "rollstream.dlq.exception";
    public static final String MESSAGE = "rollstream.dlq.message";
    public static final String SOURCE_TOPIC = "rollstream.dlq.source.topic";
    public static final String SOURCE_PARTITION = "rollstream.dlq.source.partition";
    public static final String SOURCE_OFFSET = "rollstream.dlq.source.offset";
    public static final String TIME = "rollstream.dlq.time";

    private DeadLetterHeaders() {
    }

    public static Headers with(final Headers original, final RejectReason reason, final String exceptionClass,
                               final String message, final Optional<RecordMetadata> source, final long nowMs) {
        final Headers headers = new RecordHeaders(original.toArray());
        put(headers, REASON, reason.name());
        put(headers, EXCEPTION, exceptionClass);
        put(headers, MESSAGE, message);
        source.ifPresent(metadata -> {
            put(headers, SOURCE_TOPIC, metadata.topic());
            put(headers, SOURCE_PARTITION, Integer.toString(metadata.partition()));
            put(headers, SOURCE_OFFSET, Long.toString(metadata.offset()));
        });
        put(headers, TIME, Instant.ofEpochMilli(nowMs).toString());
        return headers;
    }

    /** The last value of a header as UTF-8, for readers of the dead-letter topic. */
    public static Optional<String> read(final Headers headers, final String key) {
        final var header = headers.lastHeader(key);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static void put(final Headers headers, final String key, final String value) {
        headers.remove(key);
        headers.add(key, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
