package io.rollstream.cli;

import io.rollstream.bench.StateWrites;
import io.rollstream.engine.EntityStateCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rollstream bench state-writes}: what the engine writes to its stores per commit, feature by feature. */
@Command(name = "state-writes", mixinStandardHelpOptions = true,
        description = {"Records and bytes the engine writes to its entity stores (and their changelogs), by entity and feature.",
                "",
                "Folds the engine benchmark's generated input with the production aggregation and state-encoding code, "
                        + "without Kafka, and writes every changed entity as a commit does every --events-per-commit events. "
                        + "Prints, per entity, its head writes and their average size, the share of their accumulator bytes "
                        + "in tiles unchanged since the entity's previous write, and per accumulator slot its bytes per head write; "
                        + "then a line of key=value pairs. Takes under a minute for the default 2 million events."})
final class StateWritesBenchCommand implements Callable<Integer> {

    @Mixin
    GeneratedInputOptions input;

    @Option(names = "--events-per-commit", defaultValue = "4500",
            description = "Events between two commits: events/s times commit.interval.ms (default: ${DEFAULT-VALUE}, "
                    + "the engine benchmark's (b) at about 45 000 events/s and 100 ms).")
    int eventsPerCommit;

    @Option(names = "--alone-bytes", defaultValue = "" + EntityStateCodec.DEFAULT_ALONE_BYTES,
            description = "Sealed tiles of at least this many bytes may be stored under their own key (default: ${DEFAULT-VALUE}, "
                    + "the service's).")
    int aloneBytes;

    @Option(names = "--head-budget", defaultValue = "" + EntityStateCodec.DEFAULT_HEAD_BUDGET_BYTES,
            description = "Tile bytes an entity's head holds before its large sealed tiles move out (default: ${DEFAULT-VALUE}, "
                    + "the service's).")
    int headBudget;

    @Option(names = "--features", paramLabel = "FILE",
            description = "A features file to measure instead of the built-in default one.")
    Path featuresFile;

    @Override
    public Integer call() {
        new StateWrites(new StateWrites.Options(input.toInput(), eventsPerCommit,
                aloneBytes, headBudget, featuresFile), System.out, System.err).run();
        return 0;
    }
}
