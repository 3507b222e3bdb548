package io.rollstream.bench;

import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.Window;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.topologies.RollstreamTopology;
import io.rollstream.schemas.contract.Topics;
import org.apache.kafka.streams.Topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Variant (b), and the benchmark's only contact with how the Rollstream topology and its features
 * are built: when that API changes, this class is the one to adapt.
 */
final class RollstreamUnderTest {

    /** The service's default {@code rollstream.ingest.max-future-skew.ms}. */
    static final Duration MAX_FUTURE_SKEW = ClockSkew.DEFAULT_MAX_FUTURE_SKEW;

    /** What (b) computes, and what (c)'s windows are taken from. */
    private final FeatureCatalog catalog;
    private final String source;

    private RollstreamUnderTest(final FeatureCatalog catalog, final String source) {
        this.catalog = catalog;
        this.source = source;
    }

    /** The default features file, or {@code featuresFile} when not null (a bad file fails here, naming what is wrong). */
    static RollstreamUnderTest of(final Path featuresFile) {
        return featuresFile == null ? new RollstreamUnderTest(FeaturesFile.loadDefault(), "the default features file")
                : new RollstreamUnderTest(FeaturesFile.load(featuresFile), "the features file " + featuresFile);
    }

    Topology build(final SchemaRegistryClient registry, final int eventPartitions) {
        return RollstreamTopology.build(new RollstreamTopology.Settings(catalog, MAX_FUTURE_SKEW, eventPartitions,
                () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class)));
    }

    /**
     * Topics (b) writes and reads back itself (misrouted events, events moved to other entities'
     * partitions): created beside the events topic, and drained before a run counts as done.
     */
    List<String> relayTopics() {
        final List<String> topics = new ArrayList<>(List.of(Topics.REKEYED));
        topics.addAll(RollstreamTopology.partitionedByTopics(catalog));
        return topics;
    }

    /** The entities of the features file, for (d) to count per key with (b)'s data movement. */
    List<EntityCountsTopology.Entity> entities() {
        return catalog.entities().stream().map(set -> new EntityCountsTopology.Entity(set.entity(),
                set.entityDefinition().partitionField().name(), set.entityDefinition().partitionField()::value,
                set.eventTypes(), set.entityDefinition()::keyOf)).toList();
    }

    /** Per entity key field other than the user id, the event types (b) relays to its partitions. */
    Map<String, Set<EventType>> relayedEventTypes() {
        return RollstreamTopology.relayedEventTypes(catalog);
    }

    /** One line for the output: what the features file holds. */
    String describe() {
        return source + ": " + catalog.featureCount() + " features of entities "
                + catalog.entities().stream().map(FeatureSet::entity).toList() + ", windows "
                + windowLengths().stream().map(RollstreamUnderTest::label).toList() + " and lifetime";
    }

    /** The distinct finite window lengths of the features, shortest first. */
    List<Duration> windowLengths() {
        return catalog.entities().stream().flatMap(set -> set.features().stream()).map(FeatureDefinition::window)
                .filter(window -> !window.isLifetime()).map(Window::length).distinct().sorted().toList();
    }

    /** How late an event may arrive and still count: (c)'s grace period, for the same semantics. */
    Duration allowedLateness() {
        return catalog.allowedLateness();
    }

    static String label(final Duration length) {
        return Window.of(length).label();
    }
}
