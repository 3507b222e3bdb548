package io.rollstream.generator;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import io.rollstream.schemas.serde.SerializerOptions;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratorRunTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void shouldPublishExactlyTheCountKeyedByUserInConfluentWireFormat() {
        final GeneratorRun run = run(new GeneratorRun.Settings("unused:9092", "events", 1, 100, 50, 0, 500));

        run.runHere();

        assertThat(run.sent()).isEqualTo(500);
        assertThat(run.acknowledged()).isEqualTo(500);
        assertThat(run.failed()).isZero();
        final List<ProducerRecord<String, byte[]>> records = producer.history();
        assertThat(records).hasSize(500);
        try (ConfluentAvroDeserializer<ClickEvent> deserializer = new ConfluentAvroDeserializer<>(registry, ClickEvent.class)) {
            for (final ProducerRecord<String, byte[]> record : records) {
                assertThat(record.value()[0]).isEqualTo(ConfluentWireFormat.MAGIC_BYTE);
                assertThat(deserializer.deserialize("events", record.value()).getUserId()).isEqualTo(record.key());
            }
        }
    }

    @Test
    void shouldCountInjectedFaultsAndSendDuplicatesRightAfterTheOriginal() {
        final Faults faults = new Faults(10, Duration.ofMinutes(5), 2, Duration.ofDays(31), 5, 1);
        final GeneratorRun run = run(new GeneratorRun.Settings("unused:9092", "events", 7, 100, 50, 0, 5000,
                Duration.ZERO, faults));

        run.runHere();

        assertThat(run.sent()).isEqualTo(5000);
        long total = 0;
        for (final Fault fault : Fault.values()) {
            total += run.injected(fault);
        }
        assertThat(total).isEqualTo(5000);
        assertThat(run.injected(Fault.MALFORMED)).isPositive();
        assertThat(run.injected(Fault.DUPLICATE)).isPositive();
        final List<ProducerRecord<String, byte[]>> records = producer.history();
        long malformed = records.stream().filter(record -> record.value()[0] != ConfluentWireFormat.MAGIC_BYTE).count();
        assertThat(malformed).isEqualTo(run.injected(Fault.MALFORMED));
        long adjacentCopies = 0;
        for (int i = 1; i < records.size(); i++) {
            if (Arrays.equals(records.get(i).value(), records.get(i - 1).value())) {
                adjacentCopies++;
            }
        }
        assertThat(adjacentCopies).isEqualTo(run.injected(Fault.DUPLICATE));
    }

    @Test
    void shouldStopAfterTheDuration() {
        final GeneratorRun run = run(new GeneratorRun.Settings("unused:9092", "events", 1, 100, 50, 200, 0,
                Duration.ofMillis(300), Faults.NONE));
        final long start = System.nanoTime();

        run.runHere();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(run.sent()).isBetween(40L, 80L);
    }

    private GeneratorRun run(final GeneratorRun.Settings settings) {
        return new GeneratorRun(settings, producer, new ConfluentAvroSerializer<>(registry, SerializerOptions.forValues()),
                Clock.systemUTC());
    }
}
