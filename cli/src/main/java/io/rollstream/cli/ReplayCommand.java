package io.rollstream.cli;

import io.rollstream.offline.replay.NdjsonRecords;
import io.rollstream.offline.replay.Position;
import io.rollstream.offline.replay.Replay;
import io.rollstream.offline.replay.ReplayFilter;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.schemas.contract.EventValidator;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.topologies.ingest.RecordJudge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Reads a topic between two positions and writes its records as NDJSON, each with the verdict "
                + "the pipeline gives it (ADMISSIBLE, or the reason it is dead-lettered with: the ingest's own checks), "
                + "dead letters with their headers.",
                "Never joins a consumer group and never commits: running consumers do not notice it. Stops at the end "
                + "offsets it finds when it starts. Progress goes to stderr."})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port[,...].")
    String bootstrapServers;

    @Option(names = "--registry-url", required = true, description = "Confluent-compatible schema registry base URL.")
    String registryUrl;

    @Option(names = "--topic", defaultValue = Topics.EVENTS,
            description = "Topic to read: the events topic, the dead-letter topic, a relay topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--from", defaultValue = "earliest", description = "Where to start: earliest, an ISO-8601 instant "
            + "(2026-12-07T12:00:00Z), a duration ago (2h, 30m, 7d), or offsets by partition (0:1200,2:80) "
            + "(default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", defaultValue = "end", description = "Where to stop (excluded): end (the end offsets now), "
            + "or a position as for --from (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--user", description = "Only records of this user id (the record's key when it does not decode).")
    String user;

    @Option(names = "--type", description = "Only events of this type (PAGE_VIEW, PRODUCT_VIEW, ...).")
    String type;

    @Option(names = "--reason", description = "Only records with this verdict: a dead-letter reason (MALFORMED, OVERSIZED, "
            + "...) or ADMISSIBLE.")
    String reason;

    @Option(names = {"-o", "--output"}, description = "File to write; written whole or not at all (default: stdout).")
    Path output;

    @Option(names = {"-L", "--event-limit"}, paramLabel = "NAME=VALUE",
            description = "A limit of the event contract, as the feature store's ingest has it (see collect --help).")
    Map<String, String> eventLimits = new HashMap<>();

    @Option(names = "--max-future-skew", defaultValue = ClockSkew.DEFAULT_MAX_FUTURE_SKEW_MINUTES + "m",
            converter = DurationConverter.class,
            description = "The ingest's allowance for event times ahead of their record's (default: ${DEFAULT-VALUE}).")
    Duration maxFutureSkew;

    @Override
    public Integer call() throws IOException {
        final Position start = Position.parse(from, Clock.systemUTC());
        final Position stop = Position.parse(to, Clock.systemUTC());
        final ReplayFilter filter = new ReplayFilter(user, type == null ? null : ReplayFilter.type(type), reason);
        final EventValidator validator = new EventValidator(new ClockSkew(maxFutureSkew), EventLimits.fromNamed(eventLimits));
        final Path partial = output == null ? null : partialFile(output);
        try (SchemaRegistryClient registry = RestSchemaRegistryClient.builder(registryUrl).build()) {
            final RecordJudge judge = new RecordJudge(new ConfluentAvroDeserializer<>(registry, ClickEvent.class), validator);
            final Replay.Outcome outcome;
            try (OutputStream out = partial == null ? new NonClosing(System.out)
                    : new BufferedOutputStream(Files.newOutputStream(partial));
                 NdjsonRecords records = new NdjsonRecords(out)) {
                outcome = new Replay(bootstrapServers, Map.of(), judge, Clock.systemUTC(), System.err)
                        .run(topic, start, stop, filter, records);
            }
            if (partial != null) {
                Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                System.err.printf("replay: wrote %,d of %,d records to %s%n", outcome.written(), outcome.read(), output);
            }
            return 0;
        } finally {
            if (partial != null) {
                Files.deleteIfExists(partial);
            }
        }
    }

    /** Beside the output, so the final rename is atomic; a run that fails leaves nothing that looks complete. */
    private static Path partialFile(final Path output) throws IOException {
        final Path absolute = output.toAbsolutePath();
        final Path directory = absolute.getParent();
        if (directory == null || !Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new IOException("cannot write " + output + ": " + directory + " is not a writable directory; "
                    + "create it or name another --output");
        }
        return directory.resolve("." + absolute.getFileName() + ".partial");
    }

    /** Standard output, which closing the writer must not close. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(final OutputStream out) {
            super(out);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
