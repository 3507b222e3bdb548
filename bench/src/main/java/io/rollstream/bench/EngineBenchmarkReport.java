package io.rollstream.bench;

import java.util.List;
import java.util.Optional;

/**
 * What a benchmark run measured, besides what it printed.
 *
 * @param peakResidentBytes VmHWM right after the first full run of (b), or -1 where unknown
 */
public record EngineBenchmarkReport(List<Measurement> measurements, double avroDecodeEventsPerSecond,
                                    long peakResidentBytes) {

    public EngineBenchmarkReport {
        measurements = List.copyOf(measurements);
    }

    /** The measurement of {@code variant} under {@code guarantee}, if it ran. */
    public Optional<Measurement> find(final Variant variant, final String guarantee) {
        return measurements.stream().filter(m -> m.variant() == variant && m.guarantee().equals(guarantee)).findFirst();
    }
}
