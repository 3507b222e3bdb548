package io.rollstream.engine;

import io.rollstream.engine.tile.TileLayout;
import io.rollstream.engine.tile.TileSeries;
import io.rollstream.schemas.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

import static io.rollstream.engine.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

class StateFootprintTest {

    private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");
    private static final EntityStateCodec.Records IGNORED = new EntityStateCodec.Records() {
        @Override
        public void tile(final int layout, final long tileStart, final byte[] image) {
        }

        @Override
        public void head(final byte[] head) {
        }

        @Override
        public void tileDeleted(final int layout, final long tileStart) {
        }
    };

    private final FeatureSet features = UserActivityFeatures.featureSet();
    private final FeatureEngine engine = new FeatureEngine(features);

    @Test
    void shouldCountTheAccumulatorsOfTheTilesTheHeadCarriesAndNotThoseStoredAlone() {
        final EntityState state = engine.newState();
        for (int minute = 0; minute < 30; minute++) {
            engine.fold(state, event("u1", EventType.PAGE_VIEW, NOON.plus(Duration.ofMinutes(minute))));
        }
        // Every sealed tile under a key of its own: the head carries the newest tile of each width only.
        final EntityStateCodec codec = new EntityStateCodec(features, 0, 0);
        final StateFootprint footprint = new StateFootprint(features);

        final boolean[][] changed = StateFootprint.changedTiles(state, features);
        codec.writeChanges(state, IGNORED);
        footprint.addHead(state, changed);

        assertThat(IntStream.range(0, features.layouts().size()).map(l -> storedAlone(state.series(l))).sum())
                .as("sealed tiles stored alone, which the footprint must leave out").isGreaterThan(20);
        assertThat(changedInAll(footprint)).isEqualTo(inlineAccumulatorBytes(state)).isPositive();
        assertThat(copiedInAll(footprint)).isZero();
    }

    @Test
    void shouldCountTilesWrittenAgainUnchangedApartFromTheOnesThatChanged() {
        final EntityState state = engine.newState();
        engine.fold(state, event("u1", EventType.PAGE_VIEW, NOON));
        engine.fold(state, event("u1", EventType.PAGE_VIEW, NOON.plus(Duration.ofHours(2))));
        final EntityStateCodec codec = new EntityStateCodec(features);
        codec.writeChanges(state, IGNORED);
        final StateFootprint footprint = new StateFootprint(features);

        // One more event in the newest tiles: the noon tiles are carried again as they were.
        engine.fold(state, event("u1", EventType.PAGE_VIEW, NOON.plus(Duration.ofHours(2)).plusSeconds(1)));
        final boolean[][] changed = StateFootprint.changedTiles(state, features);
        codec.writeChanges(state, IGNORED);
        footprint.addHead(state, changed);

        assertThat(copiedInAll(footprint)).isPositive();
        assertThat(changedInAll(footprint)).isPositive();
        assertThat(copiedInAll(footprint) + changedInAll(footprint)).isEqualTo(inlineAccumulatorBytes(state));
    }

    private static int storedAlone(final TileSeries series) {
        return (int) IntStream.range(0, series.size()).filter(series::isStoredAlone).count();
    }

    private static long changedInAll(final StateFootprint footprint) {
        return IntStream.range(0, footprint.slots().size()).mapToLong(footprint::changedBytes).sum();
    }

    private static long copiedInAll(final StateFootprint footprint) {
        return IntStream.range(0, footprint.slots().size()).mapToLong(footprint::copiedBytes).sum();
    }

    /** What the codec put in the head: each inline tile's image less its presence bitmap. */
    private long inlineAccumulatorBytes(final EntityState state) {
        long bytes = 0;
        for (int l = 0; l < features.layouts().size(); l++) {
            final TileLayout layout = features.layouts().get(l);
            final TileSeries series = state.series(l);
            for (int t = 0; t < series.size(); t++) {
                if (!series.isStoredAlone(t)) {
                    bytes += series.imageAt(t).length - (layout.slots() + 7) / 8;
                }
            }
        }
        return bytes;
    }
}
