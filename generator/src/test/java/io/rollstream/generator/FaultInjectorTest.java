package io.rollstream.generator;

import io.rollstream.schemas.ClickEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FaultInjectorTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    private static final int EVENTS = 20_000;

    @Test
    void shouldPassEveryEventThroughUntouchedWithoutFaults() {
        final List<ClickEvent> events = model(5);
        final FaultInjector injector = new FaultInjector(Faults.NONE, 5);
        for (final ClickEvent event : events) {
            assertThat(injector.apply(event)).containsExactly(new FaultInjector.Valid(event, Fault.NONE));
        }
    }

    @Test
    void shouldInjectEachFaultAtRoughlyItsPercentage() {
        final Map<Fault, Integer> counts = counts(inject(new Faults(10, Duration.ofMinutes(5), 2, Duration.ofDays(31), 5, 1), 7));

        // Malformed is drawn first, late before out-of-order, so each later fault sees slightly fewer events.
        assertThat(counts.get(Fault.MALFORMED)).isBetween(EVENTS / 100 * 7 / 10, EVENTS / 100 * 13 / 10);
        assertThat(counts.get(Fault.LATE)).isBetween(EVENTS * 2 / 100 * 7 / 10, EVENTS * 2 / 100 * 13 / 10);
        assertThat(counts.get(Fault.OUT_OF_ORDER)).isBetween(EVENTS / 10 * 8 / 10, EVENTS / 10 * 12 / 10);
        assertThat(counts.get(Fault.DUPLICATE)).isBetween(EVENTS * 5 / 100 * 8 / 10, EVENTS * 5 / 100 * 12 / 10);
    }

    @Test
    void shouldMoveOutOfOrderEventsBackWithinTheBoundAndLateOnesPastTheLateness() {
        final List<ClickEvent> originals = model(11);
        final FaultInjector injector = new FaultInjector(new Faults(20, Duration.ofMinutes(5), 5, Duration.ofDays(31), 0, 0), 11);
        for (final ClickEvent original : originals) {
            final FaultInjector.Valid published = (FaultInjector.Valid) injector.apply(original).getFirst();
            final Duration movedBack = Duration.between(published.event().getEventTime(), original.getEventTime());
            switch (published.fault()) {
                case OUT_OF_ORDER -> assertThat(movedBack).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
                case LATE -> assertThat(movedBack).isGreaterThan(Duration.ofDays(31))
                        .isLessThanOrEqualTo(Duration.ofDays(31).plusHours(1));
                case NONE -> assertThat(movedBack).isZero();
                default -> throw new AssertionError("unexpected " + published.fault());
            }
            assertThat(published.event().getEventId()).isEqualTo(original.getEventId());
        }
    }

    @Test
    void shouldSendADuplicateAsTheSameEventRightAfterIt() {
        final FaultInjector injector = new FaultInjector(new Faults(0, Duration.ofMinutes(5), 0, Duration.ofDays(31), 100, 0), 3);
        final ClickEvent event = model(3).getFirst();
        final List<FaultInjector.Emission> emissions = injector.apply(event);

        assertThat(emissions).hasSize(2);
        assertThat(((FaultInjector.Valid) emissions.get(0)).event()).isEqualTo(event);
        assertThat(((FaultInjector.Valid) emissions.get(1)).event()).isEqualTo(event);
        assertThat(emissions.get(1).fault()).isEqualTo(Fault.DUPLICATE);
    }

    @Test
    void shouldReplaceAMalformedEventWithBytesThatAreNotConfluentWireFormat() {
        final FaultInjector injector = new FaultInjector(new Faults(0, Duration.ofMinutes(5), 0, Duration.ofDays(31), 0, 100), 3);
        for (final ClickEvent event : model(3).subList(0, 500)) {
            final FaultInjector.Garbage garbage = (FaultInjector.Garbage) injector.apply(event).getFirst();
            assertThat(garbage.key()).isEqualTo(event.getUserId());
            assertThat(garbage.value()).hasSizeBetween(8, 64);
            assertThat(garbage.value()[0]).isNotZero();
        }
    }

    @Test
    void shouldInjectTheSameFaultsForTheSameSeed() {
        final Faults faults = new Faults(10, Duration.ofMinutes(5), 2, Duration.ofDays(31), 5, 1);
        assertThat(describe(inject(faults, 42))).isEqualTo(describe(inject(faults, 42)));
        assertThat(describe(inject(faults, 42))).isNotEqualTo(describe(inject(faults, 43)));
    }

    private static List<FaultInjector.Emission> inject(final Faults faults, final long seed) {
        final FaultInjector injector = new FaultInjector(faults, seed);
        final List<FaultInjector.Emission> emissions = new ArrayList<>();
        model(seed).forEach(event -> emissions.addAll(injector.apply(event)));
        return emissions;
    }

    /** Emissions as comparable text: a garbage array's equals is identity. */
    private static List<String> describe(final List<FaultInjector.Emission> emissions) {
        return emissions.stream().map(emission -> emission.fault() + " " + switch (emission) {
            case FaultInjector.Valid valid -> valid.event().toString();
            case FaultInjector.Garbage garbage -> Arrays.toString(garbage.value());
        }).toList();
    }

    private static Map<Fault, Integer> counts(final List<FaultInjector.Emission> emissions) {
        final Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        for (final Fault fault : Fault.values()) {
            counts.put(fault, 0);
        }
        emissions.forEach(emission -> counts.merge(emission.fault(), 1, Integer::sum));
        return counts;
    }

    private static List<ClickEvent> model(final long seed) {
        final ClickstreamModel model = new ClickstreamModel(seed, 1000, 500);
        final List<ClickEvent> events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            events.add(model.next(T0.plusMillis(i * 100L)));
        }
        return events;
    }
}
