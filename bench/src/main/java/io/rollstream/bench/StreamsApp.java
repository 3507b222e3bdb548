package io.rollstream.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One variant as an application to run: its topology, the topics it relays events through to
 * itself (drained before a run over the whole input counts as done), and settings of its own.
 */
record StreamsApp(Variant variant, Topology topology, List<String> relayTopics, Map<String, Object> overrides) {

    /**
     * (c)'s only setting of its own. A stream thread notices a shutdown request only between rounds
     * of processing that last up to half of {@code max.poll.interval.ms} (150 s by default); at the
     * DSL's seconds per event, stopping it after its budget would take minutes. 30 s bounds that
     * without touching throughput, and still leaves (c)'s long commits room before the group
     * evicts it. (a) and (b) keep Kafka's default: their commits of large states under load need it.
     */
    static final Duration DSL_MAX_POLL_INTERVAL = Duration.ofSeconds(30);

    StreamsApp {
        relayTopics = List.copyOf(relayTopics);
        overrides = Map.copyOf(overrides);
    }

    static Map<String, Object> dslOverrides() {
        return Map.of(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
                (int) DSL_MAX_POLL_INTERVAL.toMillis());
    }
}
