package io.rollstream.engine.aggregation;

import io.rollstream.schemas.ClickEvent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives an aggregation the ways the engine does: one accumulator, tiles merged at read time, state through bytes. */
final class Folding {

    private static final int MAX_TILES = 24;

    private Folding() {
    }

    static <A> A fold(final Aggregation<A> aggregation, final List<ClickEvent> events) {
        final A accumulator = aggregation.newAccumulator();
        for (final ClickEvent event : events) {
            aggregation.add(accumulator, event);
        }
        return accumulator;
    }

    static Object result(final Aggregation<?> aggregation, final List<ClickEvent> events) {
        return resultOf(aggregation, fold(aggregation, events));
    }

    /**
     * Spreads the events over random tiles (any partition, not only by time), merges the tiles
     * pairwise in a random tree, then into a fresh accumulator as a read does; checks on the way
     * that every merge leaves its source unchanged.
     */
    static Object resultInTiles(final Aggregation<?> aggregation, final List<ClickEvent> events, final Random random) {
        return resultOf(aggregation, foldInTiles(aggregation, events, random));
    }

    static <A> A foldInTiles(final Aggregation<A> aggregation, final List<ClickEvent> events, final Random random) {
        final int tiles = 1 + random.nextInt(Math.min(MAX_TILES, events.size() + 1));
        final List<A> accumulators = new ArrayList<>();
        for (int t = 0; t < tiles; t++) {
            accumulators.add(aggregation.newAccumulator());
        }
        for (final ClickEvent event : events) {
            aggregation.add(accumulators.get(random.nextInt(tiles)), event);
        }
        while (accumulators.size() > 1) {
            final int target = random.nextInt(accumulators.size());
            int source = random.nextInt(accumulators.size() - 1);
            source = source >= target ? source + 1 : source;
            mergeCheckingSource(aggregation, accumulators.get(target), accumulators.get(source));
            accumulators.remove(source);
        }
        final A read = aggregation.newAccumulator();
        mergeCheckingSource(aggregation, read, accumulators.getFirst());
        return read;
    }

    static <A> void mergeCheckingSource(final Aggregation<A> aggregation, final A target, final A source) {
        final byte[] before = bytes(aggregation, source);
        aggregation.merge(target, source);
        assertThat(bytes(aggregation, source)).as("merge must leave its source unchanged").isEqualTo(before);
    }

    /** Folds as the streaming engine does: the accumulator goes through its bytes before every event. */
    static Object resultThroughStorage(final Aggregation<?> aggregation, final List<ClickEvent> events) {
        return resultOf(aggregation, foldThroughStorage(aggregation, events));
    }

    private static <A> A foldThroughStorage(final Aggregation<A> aggregation, final List<ClickEvent> events) {
        A accumulator = aggregation.newAccumulator();
        for (final ClickEvent event : events) {
            accumulator = roundTrip(aggregation, accumulator);
            aggregation.add(accumulator, event);
        }
        return roundTrip(aggregation, accumulator);
    }

    @SuppressWarnings("unchecked")
    static <A> Object resultOf(final Aggregation<A> aggregation, final Object accumulator) {
        return aggregation.result((A) accumulator);
    }

    static <A> byte[] bytes(final Aggregation<A> aggregation, final A accumulator) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            aggregation.write(accumulator, out);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads the bytes back, checking that nothing is left over. */
    static <A> A read(final Aggregation<A> aggregation, final byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final A accumulator = aggregation.read(in);
            assertThat(in.available()).as("bytes left after reading an accumulator").isZero();
            return accumulator;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <A> A roundTrip(final Aggregation<A> aggregation, final A accumulator) {
        return read(aggregation, bytes(aggregation, accumulator));
    }
}
