package io.rollstream.topologies.oracle;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.engine.FeatureSet;
import io.rollstream.engine.FeatureVector;
import io.rollstream.engine.catalog.FeatureCatalog;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import io.rollstream.topologies.RollstreamTopology;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The whole Rollstream topology of a catalog in a TopologyTestDriver (one partition, an in-memory
 * registry), fed {@link Published} records in order; reads every entity's state back as the
 * feature store would. Each instance has a state directory of its own, removed on close.
 */
public final class TopologyUnderTest implements AutoCloseable {

    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    /**
     * Far below the service's default, so that entities keep leaving the stream thread's object
     * cache and coming back from storage: the scenarios prove that path too.
     */
    private static final int CACHED_ENTITIES = 3;
    private static final byte[] GARBAGE = "not avro at all".getBytes(StandardCharsets.UTF_8);

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ConfluentAvroSerializer<ClickEvent> serializer =
            new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues());
    private final ConfluentAvroDeserializer<ClickEvent> deserializer =
            new ConfluentAvroDeserializer<>(registry, ClickEvent.class);
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> events;
    private final TestOutputTopic<byte[], byte[]> deadLetters;

    public TopologyUnderTest(final FeatureCatalog catalog) {
        try {
            // Under the build directory: Kafka Streams warns about state in the OS temp directory.
            final Path parent = Files.createDirectories(Path.of("target", "oracle-state"));
            this.stateDir = Files.createTempDirectory(parent, "topology-");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "oracle-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        this.driver = new TopologyTestDriver(RollstreamTopology.build(new RollstreamTopology.Settings(catalog,
                MAX_FUTURE_SKEW, 1, () -> new ConfluentAvroDeserializer<>(registry, ClickEvent.class),
                CACHED_ENTITIES)), props);
        this.events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        this.deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Pipes the records in, in order, each with its own record timestamp. */
    public void publishAll(final List<Published> records) {
        for (final Published record : records) {
            final byte[] value = record.isGarbage() ? GARBAGE : serializer.serialize(Topics.EVENTS, record.event());
            events.pipeInput(record.key(), value, Instant.ofEpochMilli(record.timestamp()));
        }
    }

    /** A dead letter: which event it carried (null for garbage) and the reason header. */
    public record DeadLetter(String eventId, String reason) {
    }

    /** The dead letters written since the last call, in order. */
    public List<DeadLetter> drainDeadLetters() {
        final List<DeadLetter> dead = new ArrayList<>();
        for (final TestRecord<byte[], byte[]> record : deadLetters.readRecordsToList()) {
            final String eventId = Arrays.equals(record.value(), GARBAGE) ? null
                    : deserializer.deserialize(Topics.EVENTS, record.value()).getEventId();
            dead.add(new DeadLetter(eventId, DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.REASON)
                    .orElse("(no reason header)")));
        }
        return dead;
    }

    /** The total of a Rollstream counter over every task ({@code duplicate-records-total}, ...). */
    public long metricTotal(final String name) {
        return Math.round(driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum());
    }

    /** Every key the entity's store holds, sorted. */
    public List<String> keys(final FeatureSet set) {
        final List<String> keys = new ArrayList<>();
        onQueryThread(() -> {
            try (KeyValueIterator<String, EntityState> all = store(set).all()) {
                all.forEachRemaining(entry -> keys.add(entry.key));
            }
            return null;
        });
        keys.sort(Comparator.naturalOrder());
        return keys;
    }

    /**
     * The features of one key read at {@code asOf}, exactly as the feature store answers them: from
     * a thread other than the stream thread, so from storage, not from the stream thread's objects.
     */
    public FeatureVector read(final FeatureSet set, final String key, final long asOf) {
        final FeatureEngine engine = new FeatureEngine(set);
        final EntityState state = onQueryThread(() -> store(set).get(key));
        return engine.read(state == null ? engine.newState() : state, asOf);
    }

    private static <T> T onQueryThread(final Callable<T> query) {
        final FutureTask<T> task = new FutureTask<>(query);
        final Thread thread = new Thread(task, "interactive-query");
        thread.start();
        try {
            return task.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a store", e);
        } catch (final ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private KeyValueStore<String, EntityState> store(final FeatureSet set) {
        return driver.getKeyValueStore(RollstreamTopology.storeName(set));
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            try (Stream<Path> paths = Files.walk(stateDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (final IOException e) {
                // A leftover temp directory is harmless.
            }
        }
    }
}
