package io.rollstream.bench;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.EntityStateCodec;
import io.rollstream.engine.FeatureDefinition;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.StateFootprint;
import io.rollstream.engine.Window;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.engine.catalog.FeaturesFile;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.contract.ClockSkew;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the engine writes to its entity stores, and what of it is each feature's: the engine
 * benchmark's input folded with the production code ({@link FeatureEngine}, {@link EntityStateCodec})
 * and, every {@code eventsPerCommit} events, every entity changed since written as a commit writes
 * it. No Kafka: it counts the records and bytes the stores and their changelogs would take, not
 * time. Unlike the topology it keeps every entity live (the topology also writes a changed entity
 * when it leaves its store's cache), so it shows the commit's share alone.
 */
public final class StateWrites {

    /**
     * @param eventsPerCommit events between two commits: the rate times {@code commit.interval.ms};
     *                        4 500 is the engine benchmark's (b), about 45 000 events/s at 100 ms
     * @param aloneBytes      and {@code headBudgetBytes}: the codec's policy of which tiles leave the head
     * @param featuresFile    null for the default features
     */
    public record Options(GeneratedInput input, int eventsPerCommit, int aloneBytes, int headBudgetBytes,
                          Path featuresFile) {
        public Options {
            Objects.requireNonNull(input, "input");
            require(eventsPerCommit >= 1, "events per commit must be at least 1, got " + eventsPerCommit);
            require(aloneBytes >= 0 && headBudgetBytes >= 0,
                    "the alone size and the head budget must be at least 0, got " + aloneBytes + " and " + headBudgetBytes);
        }

        private static void require(final boolean condition, final String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * What one entity kind's stores took.
     *
     * @param copiedBytes      accumulator bytes in heads that were tiles unchanged since the previous write
     * @param accumulatorBytes accumulator bytes in heads in all
     */
    public record EntityResult(String entity, int entities, long heads, long headBytes, long tiles, long tileBytes,
                               long deletions, long copiedBytes, long accumulatorBytes) {
    }

    /** One entity kind's states, writes, and footprint by slot. */
    private static final class EntityWrites implements EntityStateCodec.Records {
        final FeatureSet set;
        final FeatureEngine engine;
        final EntityStateCodec codec;
        final StateFootprint footprint;
        final Map<String, EntityState> states = new HashMap<>();
        final Set<String> changed = new LinkedHashSet<>();
        long heads;
        long headBytes;
        long tiles;
        long tileBytes;
        long deletions;

        EntityWrites(final FeatureSet set, final Options options) {
            this.set = set;
            this.engine = new FeatureEngine(set, new ClockSkew(RollstreamUnderTest.MAX_FUTURE_SKEW).eventsAheadOfReaders());
            this.codec = new EntityStateCodec(set, options.aloneBytes(), options.headBudgetBytes());
            this.footprint = new StateFootprint(set);
        }

        void fold(final ClickEvent event) {
            if (!set.looksAt(event)) {
                return;
            }
            // As the topology's entity processor: an event without the key fields changes no entity.
            final String key = set.entityDefinition().keyOf(event);
            if (key == null) {
                return;
            }
            engine.fold(states.computeIfAbsent(key, k -> engine.newState()), event);
            changed.add(key);
        }

        void commit() {
            for (final String key : changed) {
                final EntityState state = states.get(key);
                final boolean[][] changedTiles = StateFootprint.changedTiles(state, set);
                codec.writeChanges(state, this);
                footprint.addHead(state, changedTiles);
            }
            changed.clear();
        }

        EntityResult result() {
            final int slots = footprint.slots().size();
            final long copied = IntStream.range(0, slots).mapToLong(footprint::copiedBytes).sum();
            final long changedBytes = IntStream.range(0, slots).mapToLong(footprint::changedBytes).sum();
            return new EntityResult(set.entity(), states.size(), heads, headBytes, tiles, tileBytes, deletions, copied,
                    copied + changedBytes);
        }

        @Override
        public void tile(final int layout, final long tileStart, final byte[] image) {
            tiles++;
            tileBytes += image.length;
        }

        @Override
        public void head(final byte[] head) {
            heads++;
            headBytes += head.length;
        }

        @Override
        public void tileDeleted(final int layout, final long tileStart) {
            deletions++;
        }
    }

    private final Options options;
    private final PrintStream out;
    private final Progress progress;

    public StateWrites(final Options options, final PrintStream out, final PrintStream progress) {
        this.options = options;
        this.out = out;
        this.progress = new Progress(progress);
    }

    /** Folds and writes the whole input, prints the report, and returns its figures by entity. */
    public List<EntityResult> run() {
        final FeatureCatalog catalog = options.featuresFile() == null
                ? FeaturesFile.loadDefault() : FeaturesFile.load(options.featuresFile());
        final List<EntityWrites> entities = catalog.entities().stream().map(set -> new EntityWrites(set, options)).toList();
        final long events = options.input().events();
        final GeneratedInput.Generation input = options.input().from(Instant.now());
        long lastReport = System.nanoTime();
        for (long i = 1; i <= events; i++) {
            final ClickEvent event = input.next().event();
            for (final EntityWrites entity : entities) {
                entity.fold(event);
            }
            if (i % options.eventsPerCommit() == 0 || i == events) {
                entities.forEach(EntityWrites::commit);
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                progress.say("%,d / %,d events folded and written", i, events);
                lastReport = System.nanoTime();
            }
        }
        final List<EntityResult> results = entities.stream().map(EntityWrites::result).toList();
        report(entities, results);
        return results;
    }

    private void report(final List<EntityWrites> entities, final List<EntityResult> results) {
        out.printf(Locale.ROOT, "%,d events, a commit every %,d; tiles leave the head from %d bytes once an "
                        + "entity's tiles pass %d%n%n",
                options.input().events(), options.eventsPerCommit(), options.aloneBytes(), options.headBudgetBytes());
        for (int e = 0; e < entities.size(); e++) {
            print(entities.get(e).footprint, results.get(e));
        }
        final double events = options.input().events();
        final SummaryLine summary = new SummaryLine()
                .put("events", options.input().events())
                .put("events_per_commit", options.eventsPerCommit())
                .put("features", options.featuresFile() == null ? "default" : options.featuresFile().getFileName().toString())
                .put("records_per_event", sum(results, r -> r.heads() + r.tiles() + r.deletions()) / events, 2)
                .put("bytes_per_event", sum(results, r -> r.headBytes() + r.tileBytes()) / events, 0)
                .put("head_bytes_per_event", sum(results, EntityResult::headBytes) / events, 0)
                .put("head_bytes_copied_unchanged_per_event", sum(results, EntityResult::copiedBytes) / events, 0);
        out.println(summary);
    }

    /** One entity kind: its writes, then its accumulator slots, the largest first. */
    private void print(final StateFootprint footprint, final EntityResult result) {
        final double heads = Math.max(1, result.heads());
        out.printf(Locale.ROOT, "%s: %,d entities; %,d head writes of %,.0f bytes on average, %s of their accumulator "
                        + "bytes in tiles unchanged since the entity's previous write; %,d tiles written alone (%,.0f "
                        + "bytes on average); %,d tile deletions%n",
                result.entity(), result.entities(), result.heads(), result.headBytes() / heads,
                percent(result.copiedBytes(), result.accumulatorBytes()), result.tiles(),
                (double) result.tileBytes() / Math.max(1, result.tiles()), result.deletions());
        out.printf(Locale.ROOT, "  %6s %16s %8s  %s%n", "tile", "bytes/head write", "changed",
                "accumulator slot (the features reading it)");
        final List<StateFootprint.Slot> slots = footprint.slots();
        IntStream.range(0, slots.size()).boxed()
                .sorted(Comparator.comparingLong(s -> -(footprint.copiedBytes(s) + footprint.changedBytes(s))))
                .forEach(s -> {
                    final long slotBytes = footprint.copiedBytes(s) + footprint.changedBytes(s);
                    out.printf(Locale.ROOT, "  %6s %16.1f %8s  %s%n", tileLabel(slots.get(s).layout().widthMs()),
                            slotBytes / heads, percent(footprint.changedBytes(s), slotBytes), names(slots.get(s)));
                });
        out.println();
    }

    private static double sum(final List<EntityResult> results, final ToLongFunction<EntityResult> figure) {
        return results.stream().mapToLong(figure).sum();
    }

    private static String tileLabel(final long widthMs) {
        return widthMs == Window.LIFETIME.tileWidthMs() ? "one" : Window.of(Duration.ofMillis(widthMs)).label();
    }

    private static String names(final StateFootprint.Slot slot) {
        return slot.features().stream().map(FeatureDefinition::name).collect(Collectors.joining(", "));
    }

    private static String percent(final long part, final long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
    }
}
