package io.rollstream.bench;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;

/**
 * Variant (a): events per user, the least a stateful application over this topic can do. Values
 * are decoded with the same Avro deserializer Rollstream uses, because any application that
 * computes features must decode them: the floor includes decoding, so the ratio to Rollstream
 * measures what Rollstream adds on top (validation, tiles, state encoding), not what Avro costs.
 */
final class CountTopology {

    static final String STORE = "bench-count";

    private CountTopology() {
    }

    static Topology build(final Serde<ClickEvent> events) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.EVENTS, Consumed.with(Serdes.String(), events))
                .groupByKey(Grouped.with(Serdes.String(), events))
                .count(Materialized.as(STORE));
        return builder.build();
    }
}
