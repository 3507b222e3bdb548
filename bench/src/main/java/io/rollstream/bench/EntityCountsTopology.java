package io.rollstream.bench;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.topologies.RollstreamTopology;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Variant (d): the least an application computing (b)'s features must do, whatever it computes,
 * when it keeps each entity in a store of its own (as (b) does; an entity kept inside another's
 * record, e.g. user×category inside the user's, would move fewer records).
 * Per entity of the features file, a bare count per entity key of the events that entity looks
 * at, with (b)'s data movement: entities keyed by the events' own key (user, user×category) are
 * counted where the event arrives, and each event an entity keyed by another field looks at is
 * relayed, as its original bytes, through a topic keyed by that field and decoded again there —
 * as (b) does and as any Kafka Streams application must to co-partition by item. No windows, no
 * validation, no dedupe, one long per key; stores as (a)'s: RocksDB, record cache, changelog.
 *
 * <p>(b)/(a) says what Rollstream costs over a count of users; (d)/(a) says how much of that the
 * data movement of the same entities alone costs, and (b)/(d) what the features, validation and
 * dedupe add.
 */
final class EntityCountsTopology {

    /**
     * One entity of the features file as the floor sees it.
     *
     * @param partitionField the event field its key starts with, which decides its partition
     * @param partitionValue that field's value in an event, null when the event lacks it
     * @param key            its key for an event, null when the event lacks a key field
     */
    record Entity(String name, String partitionField, Function<ClickEvent, Object> partitionValue,
                  Set<EventType> eventTypes, Function<ClickEvent, String> key) {
        Entity {
            eventTypes = EnumSet.copyOf(eventTypes);
        }
    }

    private static final String RELAY_PREFIX = "bench-floor.by-";

    private EntityCountsTopology() {
    }

    /** The topics the floor relays events through, one per field (b) relays events to the partitions of. */
    static List<String> relayTopics(final Map<String, Set<EventType>> relayedEventTypes) {
        return relayedEventTypes.keySet().stream().map(EntityCountsTopology::relayTopic).toList();
    }

    /**
     * @param relayedEventTypes per field (b) relays events to the partitions of, the event types it
     *                          relays ({@link RollstreamUnderTest#relayedEventTypes}): (d) relays the same
     */
    static Topology build(final Supplier<Deserializer<ClickEvent>> events, final List<Entity> entities,
                          final Map<String, Set<EventType>> relayedEventTypes) {
        final Map<String, List<Entity>> byField = byPartitionField(entities);
        final Topology topology = new Topology();
        topology.addSource("events", new StringDeserializer(), new ByteArrayDeserializer(), Topics.EVENTS);
        final List<Relay> relays = new ArrayList<>();
        relayedEventTypes.forEach((field, types) ->
                relays.add(new Relay(field, byField.get(field).get(0).partitionValue(), types)));
        final List<Entity> local = byField.getOrDefault(RollstreamTopology.USER_ID, List.of());
        topology.addProcessor("count-local", () -> new Counting(events.get(), local, relays), "events");
        addStores(topology, local, "count-local");
        for (final Relay relay : relays) {
            final String topic = relayTopic(relay.field());
            topology.addSink(topic + "-sink", topic, new StringSerializer(), new ByteArraySerializer(), "count-local");
            topology.addSource(topic + "-source", new StringDeserializer(), new ByteArrayDeserializer(), topic);
            final List<Entity> relayed = byField.get(relay.field());
            final String processor = "count-by-" + relay.field();
            topology.addProcessor(processor, () -> new Counting(events.get(), relayed, List.of()),
                    topic + "-source");
            addStores(topology, relayed, processor);
        }
        return topology;
    }

    private static void addStores(final Topology topology, final List<Entity> entities, final String processor) {
        for (final Entity entity : entities) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(entity)),
                    Serdes.String(), Serdes.Long()).withCachingEnabled(), processor);
        }
    }

    private record Relay(String field, Function<ClickEvent, Object> partitionValue, Set<EventType> eventTypes) {
    }

    /** Counts each event for the entities here that look at it, and relays it to the others' partitions. */
    private static final class Counting implements Processor<String, byte[], String, byte[]> {
        private final Deserializer<ClickEvent> events;
        private final List<Entity> entities;
        private final List<Relay> relays;
        private final List<KeyValueStore<String, Long>> stores = new ArrayList<>();
        private ProcessorContext<String, byte[]> context;

        Counting(final Deserializer<ClickEvent> events, final List<Entity> entities, final List<Relay> relays) {
            this.events = events;
            this.entities = entities;
            this.relays = relays;
        }

        @Override
        public void init(final ProcessorContext<String, byte[]> context) {
            this.context = context;
            for (final Entity entity : entities) {
                stores.add(context.getStateStore(storeName(entity)));
            }
        }

        @Override
        public void process(final Record<String, byte[]> record) {
            final ClickEvent event = events.deserialize(Topics.EVENTS, record.value());
            for (int i = 0; i < entities.size(); i++) {
                final Entity entity = entities.get(i);
                if (!entity.eventTypes().contains(event.getEventType())) {
                    continue;
                }
                final String key = entity.key().apply(event);
                if (key != null) {
                    final KeyValueStore<String, Long> store = stores.get(i);
                    final Long count = store.get(key);
                    store.put(key, count == null ? 1L : count + 1);
                }
            }
            for (final Relay relay : relays) {
                if (relay.eventTypes().contains(event.getEventType())) {
                    final Object value = relay.partitionValue().apply(event);
                    if (value != null) {
                        context.forward(record.withKey(value.toString()), relayTopic(relay.field()) + "-sink");
                    }
                }
            }
        }
    }

    private static Map<String, List<Entity>> byPartitionField(final List<Entity> entities) {
        final Map<String, List<Entity>> byField = new LinkedHashMap<>();
        for (final Entity entity : entities) {
            byField.computeIfAbsent(entity.partitionField(), field -> new ArrayList<>()).add(entity);
        }
        return byField;
    }

    private static String relayTopic(final String field) {
        return RELAY_PREFIX + field.replace('_', '-');
    }

    private static String storeName(final Entity entity) {
        return "bench-floor-" + entity.name();
    }
}
