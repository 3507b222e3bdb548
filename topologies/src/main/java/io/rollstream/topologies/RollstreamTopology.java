package io.rollstream.topologies;

import io.rollstream.schemas.contract.Topics;
import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.EventType;
import io.rollstream.topologies.admission.AdmissionProcessorSupplier;
import io.rollstream.topologies.admission.SeenEventIdsStoreBuilder;
import io.rollstream.topologies.errors.RecordFault;
import io.rollstream.topologies.features.EntityFeaturesProcessorSupplier;
import io.rollstream.topologies.features.EntityStateStoreBuilder;
import io.rollstream.topologies.features.EntityWriteListener;
import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.schemas.contract.EventValidator;
import io.rollstream.topologies.ingest.IngestProcessorSupplier;
import io.rollstream.topologies.ingest.RecordTimeGuard;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.topologies.ingest.OwnerPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The whole streaming application as one topology:
 *
 * <pre>
 *  clickstream.events ─► ingest ─┬─► admit ─┬─► user features, user_category features, ... (entities keyed by user_id)
 *                                │          ├─► clickstream.events.by-item-id ─► ingest ─► item features
 *                                │          └─► dlq (late)
 *                                ├─► clickstream.events.rekeyed ─► ingest ─► admit
 *                                └─► clickstream.events.dlq
 * </pre>
 *
 * Events arrive partitioned by user. Entities whose key starts with user_id are computed in the
 * same task, with no extra hop; an entity keyed by another field (item_id) gets its events through
 * a topic partitioned by that field. Events on a partition other than their user's are moved to it
 * first, so every user's state, its dedupe memory and its stream time live in one place.
 */
public final class RollstreamTopology {

    static final String EVENTS_SOURCE = "events-source";
    static final String REKEYED_SOURCE = "rekeyed-source";
    static final String INGEST = "ingest";
    static final String REKEYED_INGEST = "rekeyed-ingest";
    static final String ADMIT = "admit";
    /** Renamed from the window store "dedupe-event-ids" when ids went into batches: a new changelog, not a misread one. */
    static final String DEDUPE_STORE = "dedupe-event-id-log";
    static final String DEDUPE_INDEX = "dedupe-event-id-index";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";
    static final String ADMIT_DEAD_LETTER_SINK = "admit-dead-letter-sink";
    static final String REKEY_SINK = "rekey-sink";
    /** The field events are keyed and partitioned by: entities whose key starts with it need no hop. */
    public static final String USER_ID = "user_id";

    /**
     * Everything the topology needs that is not a constant of the contract.
     *
     * @param cachedEntitiesPerStore entities each store of each task keeps as live objects
     *                               ({@link EntityStateStoreBuilder#DEFAULT_CACHED_ENTITIES} by default)
     * @param writeListeners         by entity store name ({@link #storeName}), who is told of the
     *                               store's writes ({@link EntityWriteListener#NONE} by default)
     * @param eventLimits            what the ingest dead-letters as oversized ({@link EventLimits#defaults()} by default)
     * @param recordFault            for tests: what makes an entity processor throw ({@link RecordFault#NONE} by default)
     */
    public record Settings(FeatureCatalog catalog, Duration maxFutureSkew, int eventPartitions,
                           Supplier<ConfluentAvroDeserializer<ClickEvent>> eventDeserializers, int cachedEntitiesPerStore,
                           Function<String, EntityWriteListener> writeListeners, EventLimits eventLimits,
                           RecordFault recordFault) {
        public Settings {
            Objects.requireNonNull(catalog, "catalog");
            Objects.requireNonNull(recordFault, "recordFault");
            Objects.requireNonNull(eventLimits, "eventLimits");
            Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
            Objects.requireNonNull(eventDeserializers, "eventDeserializers");
            Objects.requireNonNull(writeListeners, "writeListeners");
            if (cachedEntitiesPerStore < 1) {
                throw new IllegalArgumentException("cachedEntitiesPerStore must be at least 1, was " + cachedEntitiesPerStore);
            }
        }

        public Settings(final FeatureCatalog catalog, final Duration maxFutureSkew, final int eventPartitions,
                        final Supplier<ConfluentAvroDeserializer<ClickEvent>> eventDeserializers, final int cachedEntitiesPerStore,
                        final Function<String, EntityWriteListener> writeListeners, final EventLimits eventLimits) {
            this(catalog, maxFutureSkew, eventPartitions, eventDeserializers, cachedEntitiesPerStore, writeListeners,
                    eventLimits, RecordFault.NONE);
        }

        public Settings(final FeatureCatalog catalog, final Duration maxFutureSkew, final int eventPartitions,
                        final Supplier<ConfluentAvroDeserializer<ClickEvent>> eventDeserializers) {
            this(catalog, maxFutureSkew, eventPartitions, eventDeserializers,
                    EntityStateStoreBuilder.DEFAULT_CACHED_ENTITIES);
        }

        public Settings(final FeatureCatalog catalog, final Duration maxFutureSkew, final int eventPartitions,
                        final Supplier<ConfluentAvroDeserializer<ClickEvent>> eventDeserializers, final int cachedEntitiesPerStore) {
            this(catalog, maxFutureSkew, eventPartitions, eventDeserializers, cachedEntitiesPerStore,
                    store -> EntityWriteListener.NONE, EventLimits.defaults());
        }

        /** These settings with other event limits. */
        public Settings withEventLimits(final EventLimits limits) {
            return new Settings(catalog, maxFutureSkew, eventPartitions, eventDeserializers, cachedEntitiesPerStore,
                    writeListeners, limits, recordFault);
        }

        /** These settings with a fault that makes entity processors throw, for tests. */
        public Settings withRecordFault(final RecordFault fault) {
            return new Settings(catalog, maxFutureSkew, eventPartitions, eventDeserializers, cachedEntitiesPerStore,
                    writeListeners, eventLimits, fault);
        }
    }

    private RollstreamTopology() {
    }

    /**
     * Kafka Streams settings this topology runs with, applied before an operator's own overrides.
     *
     * <p>{@code max.task.idle.ms} -1: the task that reads a partition of the events topic also reads
     * that partition of the re-keyed topic, which stays empty unless a producer keys events by
     * something other than the user id. With Kafka's default (0), every time such a task is asked
     * whether it may process, Kafka Streams formats a log line for the empty partition (eagerly:
     * 3% of the stream thread in the engine benchmark) and may wait for a fetch of it. Records are
     * still taken in timestamp order among the partitions that hold some; a re-keyed event may only
     * be processed a fetch later than it could have been, and it is judged late against stream time
     * like any other: while an instance catches up on a backlog, with an allowed lateness of minutes
     * rather than the default days, re-keyed events may be dead-lettered as late that would have
     * been folded in with 0.
     */
    public static Map<String, Object> streamsSettings() {
        return Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    }

    /** Name of the state store that holds an entity's tiles; versioned with its definitions. */
    public static String storeName(final FeatureSet featureSet) {
        return "features-" + featureSet.entity() + "-" + Integer.toHexString(featureSet.fingerprint());
    }

    /** The topics that move events to the partitions of non-user entity keys (item_id, ...). */
    public static List<String> partitionedByTopics(final FeatureCatalog catalog) {
        return relayedEventTypes(catalog).keySet().stream().map(Topics::partitionedBy).toList();
    }

    /**
     * Per entity key field other than the user id, the event types some entity keyed by it looks
     * at: admission moves only those to that field's partitions (a moved event costs a produce, a
     * fetch and a second decode).
     */
    public static Map<String, Set<EventType>> relayedEventTypes(final FeatureCatalog catalog) {
        final Map<String, Set<EventType>> relayed = new LinkedHashMap<>();
        partitionFields(catalog).forEach((field, sets) -> {
            if (!field.equals(USER_ID)) {
                final Set<EventType> lookedAt = EnumSet.noneOf(EventType.class);
                sets.forEach(set -> lookedAt.addAll(set.eventTypes()));
                relayed.put(field, lookedAt);
            }
        });
        return relayed;
    }

    public static Topology build(final Settings settings) {
        final FeatureCatalog catalog = settings.catalog();
        final ClockSkew skew = new ClockSkew(settings.maxFutureSkew());
        final EventValidator validator = new EventValidator(skew, settings.eventLimits());
        final RecordTimeGuard timeGuard = new RecordTimeGuard(skew, Clock.systemUTC());
        final OwnerPartition owner = new OwnerPartition(settings.eventPartitions());
        final Topology topology = new Topology();

        addSource(topology, EVENTS_SOURCE, timeGuard, Topics.EVENTS);
        addSource(topology, REKEYED_SOURCE, timeGuard, Topics.REKEYED);
        topology.addProcessor(INGEST, new IngestProcessorSupplier(settings.eventDeserializers(), validator, owner,
                new IngestProcessorSupplier.Children(List.of(ADMIT), DEAD_LETTER_SINK, REKEY_SINK)), EVENTS_SOURCE);
        topology.addProcessor(REKEYED_INGEST, new IngestProcessorSupplier(settings.eventDeserializers(), validator, owner,
                new IngestProcessorSupplier.Children(List.of(ADMIT), DEAD_LETTER_SINK, null)), REKEYED_SOURCE);
        topology.addSink(REKEY_SINK, Topics.REKEYED, new StringSerializer(), new ByteArraySerializer(), INGEST);
        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS, new ByteArraySerializer(), new ByteArraySerializer(),
                INGEST, REKEYED_INGEST);

        final Map<String, List<FeatureSet>> byField = partitionFields(catalog);
        final List<FeatureSet> userKeyed = byField.getOrDefault(USER_ID, List.of());
        final List<String> localEntities = userKeyed.stream().map(RollstreamTopology::processorName).toList();
        final List<AdmissionProcessorSupplier.PartitionSink> partitionSinks = new ArrayList<>();
        relayedEventTypes(catalog).forEach((field, lookedAt) -> partitionSinks.add(new AdmissionProcessorSupplier.PartitionSink(
                sinkName(field), byField.get(field).get(0).entityDefinition(), lookedAt)));
        topology.addProcessor(ADMIT, new AdmissionProcessorSupplier(DEDUPE_STORE, DEDUPE_INDEX, catalog.allowedLateness(),
                catalog.dedupeHorizon(), ADMIT_DEAD_LETTER_SINK, localEntities, partitionSinks), INGEST, REKEYED_INGEST);
        if (catalog.dedupeHorizon().isPositive()) {
            topology.addStateStore(new SeenEventIdsStoreBuilder(DEDUPE_STORE, catalog.dedupeHorizon()), ADMIT);
            topology.addStateStore(dedupeIndex(), ADMIT);
        }
        topology.addSink(ADMIT_DEAD_LETTER_SINK, Topics.DEAD_LETTERS, new ByteArraySerializer(), new ByteArraySerializer(),
                ADMIT);
        for (final FeatureSet set : userKeyed) {
            addEntity(topology, set, ADMIT, settings, skew);
        }

        for (final Map.Entry<String, List<FeatureSet>> field : byField.entrySet()) {
            if (field.getKey().equals(USER_ID)) {
                continue;
            }
            final String topic = Topics.partitionedBy(field.getKey());
            topology.addSink(sinkName(field.getKey()), topic, new StringSerializer(), new ByteArraySerializer(), ADMIT);
            final String source = topic + "-source";
            final String decode = topic + "-ingest";
            addSource(topology, source, timeGuard, topic);
            final List<String> entities = field.getValue().stream().map(RollstreamTopology::processorName).toList();
            // Its own dead-letter sink: a sink shared with the events' sub-topology would join the
            // two into one task, sharing stream time (and so lateness) across differently keyed topics.
            final String deadLetters = topic + "-dead-letter-sink";
            topology.addProcessor(decode, new IngestProcessorSupplier(settings.eventDeserializers(), validator, owner,
                    new IngestProcessorSupplier.Children(entities, deadLetters, null)), source);
            topology.addSink(deadLetters, Topics.DEAD_LETTERS, new ByteArraySerializer(), new ByteArraySerializer(), decode);
            for (final FeatureSet set : field.getValue()) {
                addEntity(topology, set, decode, settings, skew);
            }
        }
        return topology;
    }

    /** A source of raw records whose stream time the guard keeps from running ahead; the consumer's offset reset. */
    private static void addSource(final Topology topology, final String name, final RecordTimeGuard timeGuard,
                                  final String topic) {
        topology.addSource((org.apache.kafka.streams.AutoOffsetReset) null, name, timeGuard, new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), topic);
    }

    private static void addEntity(final Topology topology, final FeatureSet set, final String parent,
                                  final Settings settings, final ClockSkew skew) {
        final String processor = processorName(set);
        final String store = storeName(set);
        // At most ClockSkew.MAX_EVENTS_AHEAD_OF_READERS, for which the features file checked the bound on records.
        final Duration eventsAhead = skew.eventsAheadOfReaders();
        topology.addProcessor(processor, settings.recordFault().around(set.entity(), new EntityFeaturesProcessorSupplier(
                new FeatureEngine(set, eventsAhead), store, settings.catalog().idleExpiry())), parent);
        topology.addStateStore(new EntityStateStoreBuilder(store, set, settings.cachedEntitiesPerStore(),
                Objects.requireNonNull(settings.writeListeners().apply(store), "no write listener for " + store)), processor);
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> dedupeIndex() {
        // Unlogged: rebuilt from the dedupe log, which is what survives (SeenEventIds).
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEDUPE_INDEX), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled();
    }

    private static String processorName(final FeatureSet set) {
        return set.entity() + "-features";
    }

    private static String sinkName(final String field) {
        return Topics.partitionedBy(field) + "-sink";
    }

    private static Map<String, List<FeatureSet>> partitionFields(final FeatureCatalog catalog) {
        final Map<String, List<FeatureSet>> byField = new LinkedHashMap<>();
        for (final FeatureSet set : catalog.entities()) {
            final EventField field = set.entityDefinition().partitionField();
            byField.computeIfAbsent(field.name(), f -> new ArrayList<>()).add(set);
        }
        return byField;
    }
}
