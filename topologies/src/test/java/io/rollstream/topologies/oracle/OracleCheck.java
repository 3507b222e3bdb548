package io.rollstream.topologies.oracle;

import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.FeatureVector;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.schemas.ClickEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Runs records through the whole topology and through the oracle, and lists every difference:
 * dead letters (which records, with which reason, in order), the keys each entity holds, and
 * every feature of every key at each read instant.
 */
public final class OracleCheck {

    /** How long a failure may spend cutting its stream down before it is reported. */
    private static final long MINIMIZING_BUDGET_MS = 30_000;

    private OracleCheck() {
    }

    /**
     * @param readOffsets read instants, as offsets from the newest event time of all records
     * @return every difference, one line each; empty when the topology agrees with the oracle
     */
    public static List<String> run(final FeatureCatalog catalog, final List<Published> records,
                                   final List<Long> readOffsets) {
        final FeatureOracle oracle = new FeatureOracle(catalog, TopologyUnderTest.MAX_FUTURE_SKEW).offerAll(records);
        try (TopologyUnderTest topology = new TopologyUnderTest(catalog)) {
            topology.publishAll(records);
            final List<String> problems = new ArrayList<>(deadLetterProblems(oracle, topology.drainDeadLetters()));
            final List<String> duplicates = new ArrayList<>();
            for (int i = 0; i < oracle.verdicts().size(); i++) {
                if (oracle.verdicts().get(i).outcome() == FeatureOracle.Outcome.DUPLICATE) {
                    duplicates.add("#" + i + " " + records.get(i).event().getEventId());
                }
            }
            final long dropped = topology.metricTotal("duplicate-records-total");
            if (dropped != duplicates.size()) {
                problems.add("duplicates dropped: expected " + duplicates.size() + " " + duplicates
                        + " but the duplicate-records metric counted " + dropped);
            }
            int restarts = 0;
            int idleAtEnd = 0;
            for (final FeatureSet set : catalog.entities()) {
                final Map<String, List<ClickEvent>> expectedKeys = oracle.eventsByKey(set);
                restarts += oracle.restarts(set);
                final List<String> actualKeys = topology.keys(set);
                // An idle key may be gone, or not yet: the sweep reads a stretch of the store at a time.
                final List<String> mayBeGone = expectedKeys.entrySet().stream()
                        .filter(entry -> oracle.isIdleAtEnd(entry.getValue())).map(Map.Entry::getKey).toList();
                idleAtEnd += mayBeGone.size();
                final TreeSet<String> missing = new TreeSet<>(expectedKeys.keySet());
                actualKeys.forEach(missing::remove);
                mayBeGone.forEach(missing::remove);
                if (!expectedKeys.keySet().containsAll(actualKeys) || !missing.isEmpty()) {
                    problems.add(set.entity() + ": the store holds keys " + actualKeys + ", expected "
                            + expectedKeys.keySet() + (mayBeGone.isEmpty() ? "" : " but for any of the idle "
                            + mayBeGone));
                }
                final TreeSet<String> keys = new TreeSet<>(expectedKeys.keySet());
                keys.addAll(actualKeys);
                for (final long offset : readOffsets) {
                    final long asOf = oracle.newestEventTime() + offset;
                    for (final String key : keys) {
                        // Gone: it reads as a key that never had an event.
                        final List<ClickEvent> events = actualKeys.contains(key) || !mayBeGone.contains(key)
                                ? expectedKeys.getOrDefault(key, List.of()) : List.of();
                        final FeatureVector actual = topology.read(set, key, asOf);
                        final String where = set.entity() + "/" + key + " @" + Published.relative(asOf, Scenario.ORIGIN);
                        final Long newest = FeatureOracle.newest(events);
                        final Long actualNewest = actual.found() ? actual.newestEventTime() : null;
                        if (!Objects.equals(newest, actualNewest)) {
                            problems.add(where + " newest event time: expected " + newest + " but was " + actualNewest);
                        }
                        problems.addAll(FeatureComparison.compare(where, actual.values(), oracle.expect(set, events, asOf)));
                    }
                }
            }
            // Once per time an entity went idle: on the event that found it so, or when the sweep
            // removed it (then that event found nothing); an idle one the sweep has not reached, not yet.
            final long expired = topology.metricTotal("expired-entities-total");
            if (expired < restarts || expired > restarts + idleAtEnd) {
                problems.add("expired entities: expected " + restarts + " that started over, plus up to " + idleAtEnd
                        + " idle at the end, but the expired-entities metric counted " + expired);
            }
            return problems;
        }
    }

    /**
     * Fails with every difference, shown on the smallest sub-stream (see {@link Minimizer}) and the
     * single read instant that still disagree, so the counterexample reads as a short log.
     */
    public static void assertAgrees(final String what, final FeatureCatalog catalog, final List<Published> records,
                                    final List<Long> readOffsets) {
        final List<String> problems = run(catalog, records, readOffsets);
        if (problems.isEmpty()) {
            return;
        }
        List<Long> offsets = readOffsets;
        for (final Long offset : readOffsets) {
            if (!run(catalog, records, List.of(offset)).isEmpty()) {
                offsets = List.of(offset);
                break;
            }
        }
        final List<Long> minimalOffsets = offsets;
        final List<Published> minimal = Minimizer.minimize(records,
                candidate -> !run(catalog, candidate, minimalOffsets).isEmpty(), MINIMIZING_BUDGET_MS);
        final StringBuilder stream = new StringBuilder();
        for (int i = 0; i < minimal.size(); i++) {
            stream.append("\n    #").append(i).append(' ').append(minimal.get(i).describe(Scenario.ORIGIN));
        }
        FeatureComparison.assertNone(what + "; smallest failing stream: " + minimal.size() + " of " + records.size()
                + " records (times relative to " + Instant.ofEpochMilli(Scenario.ORIGIN) + "), read at newest"
                + " event time + " + minimalOffsets + " ms:" + stream + "\n  its differences",
                run(catalog, minimal, minimalOffsets));
    }

    private static List<String> deadLetterProblems(final FeatureOracle oracle,
                                                   final List<TopologyUnderTest.DeadLetter> actual) {
        final List<TopologyUnderTest.DeadLetter> expected = new ArrayList<>();
        for (final FeatureOracle.Verdict verdict : oracle.verdicts()) {
            if (verdict.outcome() == FeatureOracle.Outcome.DEAD_LETTERED) {
                final ClickEvent event = verdict.record().event();
                expected.add(new TopologyUnderTest.DeadLetter(event == null ? null : event.getEventId(),
                        verdict.reason().name()));
            }
        }
        return expected.equals(actual) ? List.of()
                : List.of("dead letters (event id, reason) in order: expected " + expected + " but were " + actual);
    }
}
