package io.rollstream.featurestore.answers;

import com.fasterxml.jackson.core.JsonGenerator;
import io.rollstream.engine.DerivedFeature;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.FeatureVector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A single-get answer as bytes, with holes where it moves with the read instant: {@code as_of},
 * and each derived feature that {@linkplain DerivedFeature#dependsOnReadTime() depends on the read
 * time} (seconds since an event). {@link #render} fills the holes for another instant and copies
 * the rest, giving exactly the bytes a fresh read would while the vector {@linkplain
 * FeatureVector#holdsUntil() holds}. The HTTP layer writes it ({@link Recorder}) and renders what
 * goes in the holes ({@link Values}); this class knows nothing of JSON beyond where the holes are.
 */
public final class AnswerTemplate implements AnswerCache.Cacheable {

    /** This object and its arrays, beside the body. */
    private static final int OVERHEAD_BYTES = 64;

    /** How the answer's writer writes what goes in the holes, exactly as it writes them in an answer. */
    public interface Values {
        /** The {@code as_of} value for a read at {@code asOf}, quotes included. */
        byte[] asOf(long asOf);

        /** A feature value. */
        byte[] value(Object value);
    }

    /** Something written at the read instant: what it wrote then, and how to write it for another. */
    private sealed interface Hole permits AsOfHole, DerivedHole {
        byte[] render(long asOf);
    }

    private record AsOfHole(Values values) implements Hole {
        @Override
        public byte[] render(final long asOf) {
            return values.asOf(asOf);
        }
    }

    /** @param inputs the stored values the feature reads (it reads no read-time one: see {@link #readTimeFeatures}) */
    private record DerivedHole(Values values, DerivedFeature feature, Map<String, Object> inputs, long newestEventTime)
            implements Hole {
        @Override
        public byte[] render(final long asOf) {
            return values.value(feature.compute(inputs, asOf, newestEventTime));
        }
    }

    /** A hole's bytes beyond its value: the hole, its span, its inputs. */
    private static final int HOLE_BYTES = 160;

    private final byte[] written;
    private final long readAt;
    private final long holdsUntil;
    /** Where each hole is in {@link #written}: start, end. */
    private final int[] spans;
    private final Hole[] holes;

    private AnswerTemplate(final byte[] written, final long readAt, final long holdsUntil, final int[] spans,
                           final Hole[] holes) {
        this.written = written;
        this.readAt = readAt;
        this.holdsUntil = holdsUntil;
        this.spans = spans;
        this.holes = holes;
    }

    /**
     * The derived features of {@code set} that move with the read time, by name; null when an answer
     * of the set cannot be a template: a derived feature reads one of them, so it would move too.
     */
    public static Map<String, DerivedFeature> readTimeFeatures(final FeatureSet set) {
        final Map<String, DerivedFeature> readTime = new HashMap<>();
        for (final DerivedFeature derived : set.derived()) {
            if (derived.dependsOnReadTime()) {
                readTime.put(derived.name(), derived);
            }
        }
        for (final DerivedFeature derived : set.derived()) {
            for (final String input : derived.inputs()) {
                if (readTime.containsKey(input)) {
                    return null;
                }
            }
        }
        return readTime;
    }

    /** The answer as it was written, at {@link #readAt}: callers must not change it. */
    public byte[] written() {
        return written;
    }

    /** The answer read at {@code asOf}, which must be in [{@link #readAt}, {@link #holdsUntil}). */
    public byte[] render(final long asOf) {
        if (asOf == readAt) {
            return written;
        }
        final byte[][] filled = new byte[holes.length][];
        int length = written.length;
        for (int h = 0; h < holes.length; h++) {
            filled[h] = holes[h].render(asOf);
            length += filled[h].length - (spans[2 * h + 1] - spans[2 * h]);
        }
        final byte[] out = new byte[length];
        int from = 0;
        int to = 0;
        for (int h = 0; h < holes.length; h++) {
            final int start = spans[2 * h];
            System.arraycopy(written, from, out, to, start - from);
            to += start - from;
            System.arraycopy(filled[h], 0, out, to, filled[h].length);
            to += filled[h].length;
            from = spans[2 * h + 1];
        }
        System.arraycopy(written, from, out, to, written.length - from);
        return out;
    }

    @Override
    public long readAt() {
        return readAt;
    }

    @Override
    public long holdsUntil() {
        return holdsUntil;
    }

    @Override
    public int bytes() {
        return written.length + OVERHEAD_BYTES + HOLE_BYTES * holes.length;
    }

    /**
     * Marks the holes while the HTTP layer writes an answer: after each value that moves with
     * the read time it finds, from the end of what was written so far, the bytes that value took.
     */
    public static final class Recorder {
        private final ByteArrayOutputStream out;
        private final Map<String, DerivedFeature> readTime;
        private final Values values;
        private final List<Hole> holes = new ArrayList<>();
        /** What each hole renders at the read instant, and where in the answer it should stand. */
        private final List<byte[]> rendered = new ArrayList<>();
        private final List<Integer> ends = new ArrayList<>();
        private long readAt;

        public Recorder(final ByteArrayOutputStream out, final Map<String, DerivedFeature> readTime, final Values values) {
            this.out = out;
            this.readTime = readTime;
            this.values = values;
        }

        /** Just after {@code as_of} was written for {@code asOf}. */
        public void asOf(final JsonGenerator json, final long asOf) throws IOException {
            readAt = asOf;
            mark(json, new AsOfHole(values), asOf);
        }

        /** Just after feature {@code name}'s value was written. */
        public void feature(final JsonGenerator json, final String name, final FeatureVector vector) throws IOException {
            final DerivedFeature derived = readTime.get(name);
            if (derived == null) {
                return;
            }
            final Map<String, Object> inputs = new HashMap<>();
            for (final String input : derived.inputs()) {
                inputs.put(input, vector.get(input));
            }
            mark(json, new DerivedHole(values, derived, inputs, vector.newestEventTime()), vector.asOf());
        }

        private void mark(final JsonGenerator json, final Hole hole, final long asOf) throws IOException {
            json.flush();
            holes.add(hole);
            rendered.add(hole.render(asOf));
            ends.add(out.size());
        }

        /**
         * The template, or null when a hole does not hold what rendering it at the read instant gives
         * (checked once the bytes are all there).
         */
        public AnswerTemplate build(final byte[] written, final long holdsUntil) {
            final int[] spans = new int[2 * holes.size()];
            for (int h = 0; h < holes.size(); h++) {
                final byte[] expected = rendered.get(h);
                final int end = ends.get(h);
                final int start = end - expected.length;
                if (start < 0 || !Arrays.equals(written, start, end, expected, 0, expected.length)) {
                    return null;
                }
                spans[2 * h] = start;
                spans[2 * h + 1] = end;
            }
            return new AnswerTemplate(written, readAt, holdsUntil, spans, holes.toArray(Hole[]::new));
        }
    }
}
