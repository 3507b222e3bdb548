package io.rollstream.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.topologies.ingest.OwnerPartition;
import io.rollstream.topologies.oracle.FeatureComparison;
import io.rollstream.topologies.oracle.FeatureOracle;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Features served over HTTP held to the brute-force {@link FeatureOracle}: waiting until a stream
 * has been processed on every path through the topology, then comparing every feature of a sample
 * of each entity's keys.
 */
public final class ServedFeatures {

    private final FeatureApi api;
    private final FeatureCatalog catalog;
    private final int partitions;

    public ServedFeatures(final FeatureApi api, final FeatureCatalog catalog, final int partitions) {
        this.api = api;
        this.catalog = catalog;
        this.partitions = partitions;
    }

    /**
     * Waits until every partition has processed what was published before: a last event per pair
     * of (user partition, item partition) is published, so each path through the topology (a
     * user's partition, and the hop to an item's) has one, and each is awaited over HTTP.
     * Partitions are consumed in order, so once its marker shows, everything before it has counted.
     */
    public void awaitCaughtUp(final Producer<String, ClickEvent> producer, final String run, final Duration wait)
            throws Exception {
        final OwnerPartition owner = new OwnerPartition(partitions);
        final List<ClickEvent> markers = new ArrayList<>();
        for (int userPartition = 0; userPartition < partitions; userPartition++) {
            for (int itemPartition = 0; itemPartition < partitions; itemPartition++) {
                final int u = userPartition;
                final int i = itemPartition;
                final String user = IntStream.range(0, 1000).mapToObj(n -> "marker-" + run + "-u" + n)
                        .filter(id -> owner.of(id) == u).findFirst().orElseThrow();
                final String item = IntStream.range(0, 1000).mapToObj(n -> "marker-" + run + "-i" + u + "-" + n)
                        .filter(id -> owner.of(id) == i).findFirst().orElseThrow();
                markers.add(ClickEvent.newBuilder().setEventId("marker-" + run + "-" + u + "-" + i)
                        .setEventType(EventType.PRODUCT_VIEW).setUserId(user).setItemId(item)
                        .setEventTime(Instant.now()).setProperties(Map.of()).build());
            }
        }
        for (final ClickEvent marker : markers) {
            producer.send(new ProducerRecord<>(Topics.EVENTS, marker.getUserId(), marker)).get();
        }
        await().atMost(wait).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (final ClickEvent marker : markers) {
                assertThat(api.features("user", marker.getUserId()).path("found").asBoolean()).as(marker.getUserId()).isTrue();
                assertThat(api.features("item", marker.getItemId()).path("found").asBoolean()).as(marker.getItemId()).isTrue();
            }
        });
    }

    /** Every difference between the served features and the oracle's, for a sample of each entity's keys. */
    public List<String> problems(final FeatureOracle oracle, final int minimumKeys) {
        final List<String> problems = new ArrayList<>();
        int compared = 0;
        for (final FeatureSet set : catalog.entities()) {
            final Map<String, List<ClickEvent>> byKey = oracle.eventsByKey(set);
            for (final String key : sample(byKey)) {
                problems.addAll(compare(set, key, byKey.get(key), oracle));
                compared++;
            }
        }
        assertThat(compared).as("keys compared").isGreaterThanOrEqualTo(minimumKeys);
        return problems;
    }

    /** Asserts that the served features are the oracle's, for a sample of each entity's keys. */
    public void assertAsOracle(final String what, final FeatureOracle oracle, final int minimumKeys) {
        FeatureComparison.assertNone(what, problems(oracle, minimumKeys));
    }

    /** The 15 busiest keys and 15 others spread over the rest, so both long and short histories are compared. */
    private static Set<String> sample(final Map<String, List<ClickEvent>> byKey) {
        final List<String> byActivity = new ArrayList<>(byKey.keySet());
        byActivity.sort(Comparator.comparingInt((String key) -> byKey.get(key).size()).reversed()
                .thenComparing(Comparator.naturalOrder()));
        final Set<String> sample = new LinkedHashSet<>(byActivity.subList(0, Math.min(15, byActivity.size())));
        for (int i = 15; i < byActivity.size() && sample.size() < 30; i += Math.max(1, (byActivity.size() - 15) / 15)) {
            sample.add(byActivity.get(i));
        }
        return sample;
    }

    private List<String> compare(final FeatureSet set, final String key, final List<ClickEvent> events,
                                 final FeatureOracle oracle) {
        final JsonNode answer = api.features(set.entity(), key.replace("%", "%25").replace("|", "%7C"));
        final long asOf = Instant.parse(answer.path("as_of").asText()).toEpochMilli();
        final String where = set.entity() + "/" + key + " @" + answer.path("as_of").asText();
        final List<String> problems = new ArrayList<>();
        if (!answer.path("found").asBoolean()) {
            problems.add(where + ": not found, but it has " + events.size() + " events");
        }
        final Map<String, Object> actual = new LinkedHashMap<>();
        answer.path("features").properties().forEach(field -> actual.put(field.getKey(), javaValue(field.getValue())));
        final Object lastEventTime = actual.remove("last_event_time");
        if (!FeatureOracle.newest(events).equals(lastEventTime)) {
            problems.add(where + " last_event_time: expected " + FeatureOracle.newest(events) + " but was " + lastEventTime);
        }
        problems.addAll(FeatureComparison.compare(where, actual, oracle.expect(set, events, asOf)));
        return problems;
    }

    /** JSON as the engine's values: whole numbers as Long, other numbers as Double, arrays as lists, objects as maps. */
    private static Object javaValue(final JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            final List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(javaValue(element)));
            return list;
        }
        if (node.isObject()) {
            final Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(field -> map.put(field.getKey(), javaValue(field.getValue())));
            return map;
        }
        return node.toString();
    }
}
