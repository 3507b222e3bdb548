package io.rollstream.topologies.ingest;

import io.rollstream.schemas.contract.ClockSkew;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.TimestampExtractor;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Keeps one record stamped far in the future from poisoning its partition's stream time. Kafka
 * Streams moves a partition's stream time to a record's timestamp as it takes the record, before
 * any processor sees it; a record stamped a year ahead (a broker older than 3.6, or an events topic
 * that lets stamps run ahead) would then make every later event of the partition late. A record
 * stamped further ahead of this instance's clock than the events topic allows
 * ({@link ClockSkew#recordStampAllowance}) is instead given the partition's stream time, and marked
 * with its own stamp in {@link #FUTURE_STAMP}, for the ingest to dead-letter it as
 * {@code FUTURE_RECORD_TIME}.
 *
 * <p>A record carrying the marker header from outside has it removed first, so only this guard
 * sets it.
 */
public final class RecordTimeGuard implements TimestampExtractor {

    /** The record's own timestamp, in epoch milliseconds as text, when the guard replaced it. */
    public static final String FUTURE_STAMP = "rollstream.future-record-timestamp";

    private final long allowanceMs;
    private final Clock clock;

    public RecordTimeGuard(final ClockSkew skew, final Clock clock) {
        this.allowanceMs = skew.recordStampAllowance().toMillis();
        this.clock = clock;
    }

    @Override
    public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
        final Headers headers = record.headers();
        headers.remove(FUTURE_STAMP);
        final long stamp = record.timestamp();
        final long now = clock.millis();
        if (stamp >= 0 && stamp <= now + allowanceMs) {
            return stamp;
        }
        // Negative: a record from an old message format without a stamp; Kafka Streams would drop or fail on it.
        if (stamp > now) {
            headers.add(FUTURE_STAMP, Long.toString(stamp).getBytes(StandardCharsets.UTF_8));
        }
        return partitionTime >= 0 ? partitionTime : now;
    }

    /** The stamp the guard replaced, if it replaced the record's. */
    static OptionalLong replacedStamp(final Headers headers) {
        final Header header = headers.lastHeader(FUTURE_STAMP);
        if (header == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.UTF_8)));
    }

    /** How far ahead of this instance's clock a record may be stamped. */
    Duration allowance() {
        return Duration.ofMillis(allowanceMs);
    }
}
