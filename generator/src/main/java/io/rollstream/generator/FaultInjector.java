package io.rollstream.generator;

import io.rollstream.schemas.ClickEvent;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns each model event into what is published for it, with the configured {@link Faults} injected. It draws
 * from a random stream of its own, so the model's events are the same with faults on or off, and the faults
 * themselves are the same for the same seed.
 */
final class FaultInjector {

    /** One record to publish: an event, or garbage bytes in place of one. */
    sealed interface Emission permits Valid, Garbage {
        String key();

        Fault fault();
    }

    record Valid(ClickEvent event, Fault fault) implements Emission {
        @Override
        public String key() {
            return event.getUserId();
        }
    }

    record Garbage(String key, byte[] value) implements Emission {
        @Override
        public Fault fault() {
            return Fault.MALFORMED;
        }
    }

    // Golden-ratio constant: decorrelates this stream from the model's, which uses the seed itself.
    private static final long STREAM_SALT = 0x9E3779B97F4A7C15L;

    private final Faults faults;
    private final SplittableRandom random;

    FaultInjector(final Faults faults, final long seed) {
        this.faults = faults;
        this.random = new SplittableRandom(seed ^ STREAM_SALT);
    }

    /** The records for one model event, in publishing order: one, or two for a duplicate. */
    List<Emission> apply(final ClickEvent event) {
        if (!faults.any()) {
            return List.of(new Valid(event, Fault.NONE));
        }
        if (roll(faults.malformedPct())) {
            return List.of(new Garbage(event.getUserId(), garbage()));
        }
        ClickEvent published = event;
        Fault fault = Fault.NONE;
        if (roll(faults.latePct())) {
            published = movedBack(event, faults.lateBy().plus(jitter(Duration.ofHours(1))));
            fault = Fault.LATE;
        } else if (roll(faults.outOfOrderPct())) {
            published = movedBack(event, jitter(faults.maxDisorder()));
            fault = Fault.OUT_OF_ORDER;
        }
        final Valid first = new Valid(published, fault);
        return roll(faults.duplicatePct()) ? List.of(first, new Valid(published, Fault.DUPLICATE)) : List.of(first);
    }

    private boolean roll(final double percentage) {
        return percentage > 0 && random.nextDouble() * 100 < percentage;
    }

    /** Between 1 ms and {@code max}. */
    private Duration jitter(final Duration max) {
        return Duration.ofMillis(1 + random.nextLong(Math.max(1, max.toMillis())));
    }

    private static ClickEvent movedBack(final ClickEvent event, final Duration by) {
        return ClickEvent.newBuilder(event).setEventTime(event.getEventTime().minus(by)).build();
    }

    /** Bytes that are not Confluent-wire Avro: the first byte is never the magic byte 0. */
    private byte[] garbage() {
        final byte[] bytes = new byte[8 + random.nextInt(57)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        bytes[0] = (byte) (1 + random.nextInt(255));
        return bytes;
    }
}
