package io.rollstream.engine.aggregation;

import io.rollstream.engine.field.EventField;
import io.rollstream.schemas.ClickEvent;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.FrequentItemsSketch;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The k most frequent values of a field (as text, {@link FieldValues#text}): a list of
 * {@code {"value": v, "count": n}} maps, most frequent first, ties by value ascending; empty when
 * no event had the field. Counted with DataSketches' frequent-items sketch (Misra–Gries with
 * reverse purging) holding at most 3/4 × max_map_size counters.
 *
 * <p>Counts are exact while fewer than that many distinct values were seen. Beyond, a count is the
 * sketch's estimate: never below the true count, and above it by at most the sketch's maximum
 * error, itself at most 3.5 / max_map_size × the number of values counted. Tiles merge by adding
 * counters; the maximum errors of merged sketches add up, as do their weights, so the bound
 * relative to the whole window stays the same.
 *
 * <p>Items are chosen with {@link ErrorType#NO_FALSE_NEGATIVES}: every tracked value is ranked,
 * so no value whose true count exceeds the maximum error is ever left out and k values come back
 * whenever k are tracked. {@code NO_FALSE_POSITIVES} would keep only values whose lower bound
 * exceeds the error, returning few or no values as soon as a tile purges, which a model reading
 * the feature would take for "no favourites".
 */
final class TopKAggregation implements Aggregation<TopKAggregation.Frequencies> {

    static final ParamSpec K = ParamSpec.wholeNumber("k", 5, 1, 768,
            "at most 3/4 of max_map_size values are tracked");
    static final ParamSpec MAX_MAP_SIZE = ParamSpec.powerOfTwo("max_map_size", 64, 8, 1024,
            "the sketch tracks 3/4 × max_map_size values and overcounts by at most 3.5 / max_map_size "
                    + "of the events counted; the whole table is written on every event, so keep it modest");

    private static final Comparator<FrequentItemsSketch.Row<String>> MOST_FREQUENT_FIRST =
            Comparator.comparingLong(FrequentItemsSketch.Row<String>::getEstimate).reversed()
                    .thenComparing(FrequentItemsSketch.Row::getItem);

    private final EventField field;
    private final int k;
    private final int maxMapSize;
    /** Counters the table holds at most: inserting a new value into a full table purges it. */
    private final int maxCounters;

    private TopKAggregation(final EventField field, final int k, final int maxMapSize) {
        this.field = field;
        this.k = k;
        this.maxMapSize = maxMapSize;
        this.maxCounters = maxMapSize * 3 / 4;
    }

    /** @throws IllegalArgumentException when k asks for more values than max_map_size tracks */
    static TopKAggregation create(final EventField field, final AggregationParams params) {
        final int k = params.wholeNumber(K);
        final int maxMapSize = params.wholeNumber(MAX_MAP_SIZE);
        final int tracked = maxMapSize * 3 / 4;
        if (k > tracked) {
            int enough = maxMapSize;
            while (enough * 3 / 4 < k) {
                enough *= 2;
            }
            throw new IllegalArgumentException(params.invalid(K, k, "max_map_size " + maxMapSize
                    + " tracks at most " + tracked + " values; lower k to " + tracked + " or raise max_map_size to "
                    + enough));
        }
        return new TopKAggregation(field, k, maxMapSize);
    }

    static final class Frequencies {
        private FrequentItemsSketch<String> sketch;

        private Frequencies(final FrequentItemsSketch<String> sketch) {
            this.sketch = sketch;
        }
    }

    @Override
    public Frequencies newAccumulator() {
        return new Frequencies(new FrequentItemsSketch<>(maxMapSize));
    }

    @Override
    public void add(final Frequencies accumulator, final ClickEvent event) {
        final Object value = FieldValues.present(field, event);
        if (value != null) {
            update(accumulator, FieldValues.text(value), 1);
        }
    }

    /**
     * Counts {@code item}; just before a purge, the table is rebuilt from its content, so that the
     * purge (the only step whose outcome depends on table layout) works on the one layout that
     * content has. See {@link FrequentItemsContent}.
     */
    private void update(final Frequencies accumulator, final String item, final long count) {
        final FrequentItemsSketch<String> sketch = accumulator.sketch;
        if (sketch.getNumActiveItems() == maxCounters && sketch.getLowerBound(item) == 0) {
            accumulator.sketch = FrequentItemsContent.of(sketch).toSketch(maxMapSize);
        }
        accumulator.sketch.update(item, count);
    }

    /**
     * The sketch's own merge, done here: the source's counters go in item order rather than in
     * the order of its table, and a source whose counters were all purged still passes on its
     * weight and maximum error (DataSketches' merge skips it as empty).
     */
    @Override
    public void merge(final Frequencies target, final Frequencies source) {
        final FrequentItemsContent added = FrequentItemsContent.of(source.sketch);
        if (added.streamWeight == 0) {
            return;
        }
        final long weightBefore = target.sketch.getStreamLength();
        for (int i = 0; i < added.items.length; i++) {
            update(target, added.items[i], added.counts[i]);
        }
        // Counting the source's counters added their sum to the weight; it owes the source's whole weight.
        final FrequentItemsContent counted = FrequentItemsContent.of(target.sketch);
        target.sketch = counted.withWeightAndAddedError(weightBefore + added.streamWeight, added.maximumError)
                .toSketch(maxMapSize);
    }

    @Override
    public Object result(final Frequencies accumulator) {
        final FrequentItemsSketch.Row<String>[] rows = accumulator.sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
        Arrays.sort(rows, MOST_FREQUENT_FIRST);
        final List<Map<String, Object>> top = new ArrayList<>(Math.min(k, rows.length));
        for (int i = 0; i < rows.length && i < k; i++) {
            final Map<String, Object> entry = new LinkedHashMap<>(4);
            entry.put("value", rows[i].getItem());
            entry.put("count", rows[i].getEstimate());
            top.add(entry);
        }
        return top;
    }

    /** See {@link FrequentItemsContent#write}. */
    @Override
    public void write(final Frequencies accumulator, final DataOutput out) throws IOException {
        FrequentItemsContent.of(accumulator.sketch).write(out);
    }

    @Override
    public Frequencies read(final DataInput in) throws IOException {
        return new Frequencies(FrequentItemsContent.read(in, maxMapSize).toSketchFromStorage(maxMapSize));
    }

    @Override
    public long maxEncodedBytes(final long tileWidthMs) {
        return FrequentItemsContent.maxEncodedBytes(maxMapSize, FieldValues.maxEncodedTextBytes(field.type()));
    }

    @Override
    public String toString() {
        return "top_k(" + field.name() + ", k=" + k + ", max_map_size=" + maxMapSize + ")";
    }
}
