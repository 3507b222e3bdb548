package io.rollstream.topologies.oracle;

import io.rollstream.engine.DerivedFeature;
import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.Window;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.RejectReason;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes every feature of a catalog by brute force from the raw records as published, by the
 * pipeline's documented semantics and independently of the engine (no tiles, no accumulators, no
 * sketches): the reference a property test holds the topology to.
 *
 * <ul>
 *   <li>Records are offered in publish order, as on one partition. Stream time at record i is the
 *       largest record timestamp of records 0..i.</li>
 *   <li>Undecodable records and events failing validation (blank event or user id, UNKNOWN type,
 *       event time beyond record timestamp + max future skew) are dead-lettered first; then an
 *       event older than stream time − allowed lateness is dead-lettered as LATE_EVENT.</li>
 *   <li>Of the admitted events, one whose event id was already admitted at a stream time at most
 *       the dedupe horizon before the current one is a duplicate and ignored (ids are remembered
 *       by arrival, whatever their event time).</li>
 *   <li>An admitted event counts for each entity whose key fields it has and one of whose features
 *       looks at its event type (the entity's newest event time included). A feature with window W
 *       and tile width w read at T covers the events whose tile start lies between the tile start
 *       of T − W and that of T; a lifetime window covers all.</li>
 *   <li>With an idle expiry E, an entity whose newest event time is more than E behind stream
 *       time when an event for it arrives starts over from that event, as if it had never had one
 *       before; an entity idle at the end may have been removed, or not yet. (A TopologyTestDriver
 *       runs every topic in one task, so every entity here is judged by the stream time of the
 *       records; deployed, an entity keyed by another field than the user is judged by that of
 *       the partition its events are moved to.)</li>
 * </ul>
 * Reads are defined at instants no earlier than the newest event time offered.
 */
public final class FeatureOracle {

    /** What became of one record. */
    public enum Outcome { ADMITTED, DUPLICATE, DEAD_LETTERED }

    /** @param reason why it was dead-lettered, else null */
    public record Verdict(Published record, Outcome outcome, RejectReason reason) {
    }

    /** An admitted event, and the stream time when it came. */
    private record Admitted(ClickEvent event, long streamTime) {
    }

    private final long maxFutureSkewMs;
    private final long latenessMs;
    private final long horizonMs;
    private final Optional<Duration> idleExpiry;
    private final List<Verdict> verdicts = new ArrayList<>();
    private final List<Admitted> admitted = new ArrayList<>();
    private final Map<String, List<Long>> admittedTimesById = new HashMap<>();
    private long streamTime = Long.MIN_VALUE;
    private long newestEventTime = Long.MIN_VALUE;

    public FeatureOracle(final FeatureCatalog catalog, final Duration maxFutureSkew) {
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
        this.latenessMs = catalog.allowedLateness().toMillis();
        this.horizonMs = catalog.dedupeHorizon().toMillis();
        this.idleExpiry = catalog.idleExpiry();
    }

    public FeatureOracle offerAll(final List<Published> records) {
        records.forEach(this::offer);
        return this;
    }

    public Verdict offer(final Published record) {
        streamTime = Math.max(streamTime, record.timestamp());
        final Verdict verdict = judge(record);
        verdicts.add(verdict);
        if (record.event() != null) {
            newestEventTime = Math.max(newestEventTime, record.event().getEventTime().toEpochMilli());
        }
        if (verdict.outcome() == Outcome.ADMITTED) {
            admitted.add(new Admitted(record.event(), streamTime));
            admittedTimesById.computeIfAbsent(record.event().getEventId(), id -> new ArrayList<>())
                    .add(streamTime);
        }
        return verdict;
    }

    private Verdict judge(final Published record) {
        final ClickEvent event = record.event();
        if (event == null) {
            return dead(record, RejectReason.MALFORMED);
        }
        if (blank(event.getEventId())) {
            return dead(record, RejectReason.MISSING_EVENT_ID);
        }
        if (blank(event.getUserId())) {
            return dead(record, RejectReason.MISSING_USER_ID);
        }
        if (event.getEventType() == null || event.getEventType() == EventType.UNKNOWN) {
            return dead(record, RejectReason.UNKNOWN_EVENT_TYPE);
        }
        final long eventTime = event.getEventTime().toEpochMilli();
        if (eventTime > record.timestamp() + maxFutureSkewMs) {
            return dead(record, RejectReason.FUTURE_EVENT_TIME);
        }
        if (eventTime < streamTime - latenessMs) {
            return dead(record, RejectReason.LATE_EVENT);
        }
        for (final long arrivedAt : admittedTimesById.getOrDefault(event.getEventId(), List.of())) {
            if (horizonMs > 0 && arrivedAt >= streamTime - horizonMs) {
                return new Verdict(record, Outcome.DUPLICATE, null);
            }
        }
        return new Verdict(record, Outcome.ADMITTED, null);
    }

    private static Verdict dead(final Published record, final RejectReason reason) {
        return new Verdict(record, Outcome.DEAD_LETTERED, reason);
    }

    private static boolean blank(final String value) {
        return value == null || value.isBlank();
    }

    public List<Verdict> verdicts() {
        return List.copyOf(verdicts);
    }

    /** The newest event time of every record offered (rejected ones included): reads are defined from there on. */
    public long newestEventTime() {
        return newestEventTime;
    }

    /**
     * The admitted events of each key of an entity since it last started over (see the idle
     * expiry above), keys sorted, events in admission order.
     */
    public Map<String, List<ClickEvent>> eventsByKey(final FeatureSet set) {
        return eventsByKey(set, new int[1]);
    }

    /** How many times a key of the entity started over: expired, each, on the event that found it idle. */
    public int restarts(final FeatureSet set) {
        final int[] restarts = new int[1];
        eventsByKey(set, restarts);
        return restarts[0];
    }

    private Map<String, List<ClickEvent>> eventsByKey(final FeatureSet set, final int[] restarts) {
        final Set<EventType> lookedAt = EnumSet.noneOf(EventType.class);
        set.features().forEach(feature -> lookedAt.addAll(feature.eventTypes()));
        final Map<String, List<ClickEvent>> byKey = new TreeMap<>();
        for (final Admitted admission : admitted) {
            final ClickEvent event = admission.event();
            final String key = set.entityDefinition().keyOf(event);
            if (key != null && lookedAt.contains(event.getEventType())) {
                final List<ClickEvent> events = byKey.computeIfAbsent(key, k -> new ArrayList<>());
                if (!events.isEmpty() && isIdle(events, admission.streamTime())) {
                    events.clear();
                    restarts[0]++;
                }
                events.add(event);
            }
        }
        return byKey;
    }

    /**
     * Whether a key with these events (as {@link #eventsByKey} lists them) is idle at the end of
     * the stream, so that the pipeline may already have removed it.
     */
    public boolean isIdleAtEnd(final List<ClickEvent> keyEvents) {
        return !keyEvents.isEmpty() && isIdle(keyEvents, streamTime);
    }

    private boolean isIdle(final List<ClickEvent> keyEvents, final long streamTime) {
        return idleExpiry.isPresent() && newest(keyEvents) < streamTime - idleExpiry.get().toMillis();
    }

    /** Every feature (derived ones included) of one key at {@code asOf}, in declaration order. */
    public Map<String, Expected> expect(final FeatureSet set, final List<ClickEvent> keyEvents, final long asOf) {
        final Map<String, Expected> expected = new LinkedHashMap<>();
        for (final FeatureDefinition feature : set.features()) {
            final List<ClickEvent> covered = new ArrayList<>();
            for (final ClickEvent event : keyEvents) {
                if (feature.eventTypes().contains(event.getEventType())
                        && covers(feature.window(), asOf, event.getEventTime().toEpochMilli())) {
                    covered.add(event);
                }
            }
            expected.put(feature.name(), Reference.expect(AggregationDescription.parse(feature.aggregation().toString()),
                    covered, asOf));
        }
        final Long newest = newest(keyEvents);
        for (final DerivedFeature derived : set.derived()) {
            expected.put(derived.name(), derived(derived, expected, asOf, newest));
        }
        return expected;
    }

    /** The newest event time among a key's events, or null for none. */
    public static Long newest(final List<ClickEvent> keyEvents) {
        return keyEvents.stream().map(e -> e.getEventTime().toEpochMilli()).max(Long::compare).orElse(null);
    }

    static boolean covers(final Window window, final long asOf, final long eventTime) {
        if (window.isLifetime()) {
            return true;
        }
        final long width = window.tileWidthMs();
        final long tile = Math.floorDiv(eventTime, width) * width;
        return tile >= Math.floorDiv(asOf - window.lengthMs(), width) * width && tile <= Math.floorDiv(asOf, width) * width;
    }

    /**
     * Derived features from the oracle's own values: a ratio of two exactly known numbers, or
     * seconds from a timestamp (the key's newest event time for {@code last_event}) to the read.
     */
    private static Expected derived(final DerivedFeature derived, final Map<String, Expected> values, final long asOf,
                                    final Long newest) {
        return switch (derived) {
            case DerivedFeature.Ratio ratio -> {
                final Expected numerator = values.get(ratio.numerator());
                final Expected denominator = values.get(ratio.denominator());
                final Double top = exactNumber(numerator);
                final Double bottom = exactNumber(denominator);
                if (top == null || bottom == null || bottom == 0) {
                    yield new Expected.Exact(null);
                }
                if (numerator instanceof Expected.Exact && denominator instanceof Expected.Exact) {
                    yield new Expected.Exact(top / bottom);
                }
                yield new Expected.Close(top / bottom, 1e-11 * Math.abs(top / bottom),
                        "a ratio of compensated sums; 1e-11 relative");
            }
            case DerivedFeature.SecondsSince since -> {
                final Long from;
                if (DerivedFeature.LAST_EVENT.equals(since.source())) {
                    from = newest;
                } else {
                    final Double timestamp = exactNumber(values.get(since.source()));
                    from = timestamp == null ? null : timestamp.longValue();
                }
                // An event from a clock ahead of the reader's happened 0 s ago, never a negative time.
                yield new Expected.Exact(from == null ? null : Math.max(0, asOf - from) / 1000.0);
            }
        };
    }

    /** The number an exact or floating expectation stands for; null when it has none. */
    private static Double exactNumber(final Expected expected) {
        return switch (expected) {
            case Expected.Exact exact when exact.value() instanceof Number number -> number.doubleValue();
            case Expected.Close close -> close.value();
            case null, default -> null;
        };
    }
}
