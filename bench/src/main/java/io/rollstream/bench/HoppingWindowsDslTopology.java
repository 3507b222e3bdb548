package io.rollstream.bench;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.List;

/**
 * Variant (c): the default features as one would write them with the DSL: per window length, a
 * hopping window advancing every minute (so that "the last hour" is at most a minute stale),
 * aggregating counts per event type, windowed by event time with the engine's allowed lateness as
 * grace. Every event updates length/advance windows: 60 for 1 h, 1440 for 24 h.
 */
final class HoppingWindowsDslTopology {

    static final Duration ADVANCE = Duration.ofMinutes(1);

    private HoppingWindowsDslTopology() {
    }

    static Topology build(final Serde<ClickEvent> events, final List<Duration> windowLengths, final Duration grace) {
        final StreamsBuilder builder = new StreamsBuilder();
        final KGroupedStream<String, ClickEvent> byUser = builder
                .stream(Topics.EVENTS, Consumed.with(Serdes.String(), events).withTimestampExtractor(new EventTimeExtractor()))
                .groupByKey(Grouped.with(Serdes.String(), events));
        final Serde<EventTypeCounts> countsSerde = EventTypeCounts.serde();
        for (final Duration length : windowLengths) {
            byUser.windowedBy(TimeWindows.ofSizeAndGrace(length, grace).advanceBy(ADVANCE))
                    .aggregate(EventTypeCounts::new, (user, event, counts) -> counts.add(event.getEventType()),
                            Materialized.<String, EventTypeCounts, WindowStore<Bytes, byte[]>>as(
                                            "bench-dsl-counts-" + RollstreamUnderTest.label(length))
                                    .withKeySerde(Serdes.String())
                                    .withValueSerde(countsSerde));
        }
        return builder.build();
    }

    /** Window updates each event causes: the DSL's cost driver. */
    static long windowUpdatesPerEvent(final List<Duration> windowLengths) {
        return windowLengths.stream().mapToLong(length -> length.toMillis() / ADVANCE.toMillis()).sum();
    }

    /** Windows by the event's own time, as the engine does; the record timestamp is its arrival. */
    static final class EventTimeExtractor implements TimestampExtractor {
        @Override
        public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
            return record.value() instanceof ClickEvent event ? event.getEventTime().toEpochMilli() : record.timestamp();
        }
    }
}
