package io.rollstream.bench;

import io.rollstream.schemas.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateWritesTest {

    private static final int EVENTS = 5_000;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream report = new ByteArrayOutputStream();

    @Test
    void shouldWriteEveryEntityOnceAndCopyNothingWhenOneCommitCoversTheWholeInput() throws IOException {
        final List<StateWrites.EntityResult> results = run(EVENTS);

        assertThat(results).extracting(StateWrites.EntityResult::entity).containsExactly("user", "item");
        for (final StateWrites.EntityResult result : results) {
            assertThat(result.entities()).isPositive();
            assertThat(result.heads()).isEqualTo(result.entities());
            assertThat(result.copiedBytes()).isZero();
            assertThat(result.accumulatorBytes()).isPositive().isLessThan(result.headBytes());
        }
    }

    @Test
    void shouldWriteTheUserAtEveryEventAndCopyItsOlderTilesWhenEachEventIsACommit() throws IOException {
        final StateWrites.EntityResult user = run(1).get(0);

        // Every generated event has a user and the file's user counts every type: one head per event.
        assertThat(user.heads()).isEqualTo(EVENTS);
        assertThat(user.copiedBytes()).isPositive().isLessThan(user.accumulatorBytes());
        assertThat(report.toString(StandardCharsets.UTF_8))
                .contains("user: ")
                .contains("events_by_user_1h")
                .contains("events=5000 events_per_commit=1 features=features.yaml records_per_event=");
    }

    @Test
    void shouldRefuseAnInputOrCadenceItCannotModelSayingWhatWasGiven() {
        assertThatThrownBy(() -> new GeneratedInput(0, 50, 20, 1, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events").hasMessageContaining("got 0");
        final GeneratedInput input = new GeneratedInput(EVENTS, 50, 20, 1, Duration.ofHours(1));
        assertThatThrownBy(() -> new StateWrites.Options(input, 0, 128, 4096, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events per commit");
        assertThatThrownBy(() -> new StateWrites.Options(input, 1, -1, 4096, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1 and 4096");
    }

    private List<StateWrites.EntityResult> run(final int eventsPerCommit) throws IOException {
        final String allTypes = EnumSet.complementOf(EnumSet.of(EventType.UNKNOWN)).stream()
                .map(Enum::name).collect(Collectors.joining(", "));
        final Path features = Files.writeString(dir.resolve("features.yaml"), """
                features:
                  - name: events_by_user
                    event_types: [%s]
                    aggregation: count
                    windows: [1h]
                  - name: item_views
                    entity: item
                    event_types: [PRODUCT_VIEW]
                    aggregation: count
                    windows: [1h]
                """.formatted(allTypes));
        final StateWrites.Options options = new StateWrites.Options(new GeneratedInput(EVENTS, 50, 20, 1, Duration.ofHours(1)),
                eventsPerCommit, 128, 4096, features);
        return new StateWrites(options, new PrintStream(report, true, StandardCharsets.UTF_8),
                new PrintStream(OutputStream.nullOutputStream())).run();
    }
}
