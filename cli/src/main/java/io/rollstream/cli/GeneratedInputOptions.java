package io.rollstream.cli;

import io.rollstream.bench.GeneratedInput;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The generated clickstream the engine's benchmarks run on, declared once for each command that takes it. */
final class GeneratedInputOptions {

    @Option(names = "--events", defaultValue = "2000000", description = "Events in the input (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--users", defaultValue = "100000", description = "Distinct users, Zipf-distributed (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "20000", description = "Distinct items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated input (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--span-hours", defaultValue = "36",
            description = "Event times spread over this many hours before now (default: ${DEFAULT-VALUE}).")
    int spanHours;

    Duration span() {
        return Duration.ofHours(spanHours);
    }

    GeneratedInput toInput() {
        return new GeneratedInput(events, users, items, seed, span());
    }
}
