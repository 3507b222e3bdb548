package io.rollstream.offline.replay;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import io.rollstream.topologies.ingest.RecordJudge;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record as a replay shows it: where it was, what it holds, and the verdict the pipeline gives
 * it. For a record of the events topic (or a topic of original bytes) that is the ingest's
 * ({@link RecordJudge}); for a dead letter, the reason it was dead-lettered with, its other
 * {@code rollstream.dlq.*} headers, and its event when the original bytes still decode.
 *
 * @param event     the decoded event, or null when it does not decode
 * @param verdict   {@value #ADMISSIBLE}, or the reason the record is (or would be) dead-lettered
 * @param message   why, when not admissible
 * @param deadLetter the {@code rollstream.dlq.*} headers without that prefix; empty for other records
 */
public record ReplayedRecord(ConsumerRecord<byte[], byte[]> record, ClickEvent event, String verdict, String message,
                             Map<String, String> deadLetter) {

    public static final String ADMISSIBLE = "ADMISSIBLE";

    /** Judges {@code record} as the ingest would, or reads it as the dead letter it is. */
    public static ReplayedRecord of(final ConsumerRecord<byte[], byte[]> record, final RecordJudge judge, final long nowMs) {
        final Map<String, String> deadLetter = deadLetterHeaders(record);
        final RecordJudge.Verdict verdict = judge.judge(record.topic(), record.key(), record.value(), record.headers(),
                record.timestamp(), nowMs);
        final ClickEvent event = verdict instanceof RecordJudge.Admissible admissible ? admissible.event() : null;
        if (!deadLetter.isEmpty()) {
            return new ReplayedRecord(record, event, deadLetter.getOrDefault("reason", RejectReason.MALFORMED.name()),
                    deadLetter.get("message"), deadLetter);
        }
        return switch (verdict) {
            case RecordJudge.Admissible admissible -> new ReplayedRecord(record, admissible.event(), ADMISSIBLE, null, Map.of());
            case RecordJudge.Rejected rejected -> new ReplayedRecord(record, null, rejected.reason().name(),
                    rejected.message(), Map.of());
        };
    }

    private static Map<String, String> deadLetterHeaders(final ConsumerRecord<byte[], byte[]> record) {
        final Map<String, String> headers = new LinkedHashMap<>();
        for (final Header header : record.headers()) {
            if (header.key().startsWith(DeadLetterHeaders.PREFIX) && header.value() != null) {
                headers.put(header.key().substring(DeadLetterHeaders.PREFIX.length()),
                        new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return headers;
    }
}
