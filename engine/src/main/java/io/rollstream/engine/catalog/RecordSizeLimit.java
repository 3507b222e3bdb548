package io.rollstream.engine.catalog;

import io.rollstream.engine.EntityStateCodec;
import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.StateFootprint;

import io.rollstream.schemas.contract.ClockSkew;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Refuses an entity whose state records could outgrow {@link EntityStateCodec#MAX_ENTITY_RECORD_BYTES}:
 * such a record would be refused by Kafka and stop the stream thread that wrote it. Checked at
 * load, from the definitions alone ({@link EntityStateCodec#maxRecordBytes}), so the file is
 * fixed before any event can build such a record.
 */
final class RecordSizeLimit {

    /**
     * How far ahead of readers events are taken to be, which decides how many tiles each width
     * keeps: the most any instance lets them (an hour: the largest skew the contract allows, twice),
     * six times the default, so no instance's skew can make its records pass the bound.
     */
    static final Duration CHECKED_AHEAD_OF_READERS = ClockSkew.MAX_EVENTS_AHEAD_OF_READERS;

    /** How many of the largest accumulators a refusal names: enough to act on, few enough to read. */
    private static final int NAMED_PARTS = 3;

    /** Accumulators under this share of the bound are not worth naming: lowering them would not help. */
    private static final int NEGLIGIBLE_PART_OF = 100;

    private RecordSizeLimit() {
    }

    /** What is wrong with the entity's largest possible record, or null when it is within the limit. */
    static String problem(final FeatureSet set) {
        final long bound = new EntityStateCodec(set).maxRecordBytes(CHECKED_AHEAD_OF_READERS);
        if (bound <= EntityStateCodec.MAX_ENTITY_RECORD_BYTES) {
            return null;
        }
        return "entity '" + set.entity() + "': one of its state records could take " + bound + " bytes, more than the "
                + EntityStateCodec.MAX_ENTITY_RECORD_BYTES + " a record may (half of Kafka's 1 MiB request limit); "
                + "the largest parts, per tile: " + String.join(", ", largestParts(set, bound / NEGLIGIBLE_PART_OF))
                + "; lower the parameters in parentheses (lg_k, k, max_map_size), give those features fewer windows, "
                + "or move some features to another entity with the same key fields (entities: {name: [fields]})";
    }

    /** The accumulators with the largest bounds, at least {@code minBytes}, each with the features that read it. */
    private static List<String> largestParts(final FeatureSet set, final long minBytes) {
        record Part(StateFootprint.Slot slot, long bytes) {
        }
        final List<Part> parts = new ArrayList<>();
        for (final StateFootprint.Slot slot : new StateFootprint(set).slots()) {
            final FeatureDefinition folding = slot.features().getFirst();
            parts.add(new Part(slot, folding.aggregation().maxEncodedBytes(slot.layout().widthMs())));
        }
        parts.sort(Comparator.comparingLong(Part::bytes).reversed());
        final List<String> named = new ArrayList<>();
        for (final Part part : parts.subList(0, Math.min(NAMED_PARTS, parts.size()))) {
            if (part.bytes() < minBytes) {
                break;
            }
            final List<String> names = part.slot().features().stream().map(f -> "'" + f.name() + "'").toList();
            named.add(String.join(" and ", names) + " (" + part.slot().features().getFirst().aggregation() + ") "
                    + part.bytes() + " bytes");
        }
        return named;
    }
}
