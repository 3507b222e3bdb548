package io.rollstream.topologies.errors;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.RejectReason;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.schemas.registry.SchemaRegistryUnavailableException;
import io.rollstream.topologies.ingest.DeadLetterHeaders;
import io.rollstream.topologies.ingest.ValidEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handler on its own, for what the topology cannot make happen: released raw bytes, punctuations, odd causes. */
class DeadLetterProcessingExceptionHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final byte[] RAW_KEY = "raw-key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RAW_VALUE = {0, 0, 0, 0, 7, 42};

    private final Metrics metrics = new Metrics();
    private final DeadLetterProcessingExceptionHandler handler = new DeadLetterProcessingExceptionHandler();

    DeadLetterProcessingExceptionHandlerTest() {
        handler.configure(Map.of(DeadLetterProcessingExceptionHandler.FAILURES_CONFIG,
                new ProcessingFailures(metrics, Clock.fixed(NOW, ZoneOffset.UTC))));
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void shouldDeadLetterTheSourceRecordsRawBytesWithItsHeadersAndWhereItWasRead() {
        final Headers headers = new RecordHeaders().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        final Response response = handler.handleError(new Context(Topics.EVENTS, 2, 41, headers, RAW_KEY, RAW_VALUE),
                new Record<>("user-1", valid("user-1", new byte[] {9}), 1_000), new IllegalStateException("boom"));

        assertThat(response.result()).isEqualTo(Result.RESUME);
        final ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().getFirst();
        assertThat(dead.topic()).isEqualTo(Topics.DEAD_LETTERS);
        assertThat(dead.key()).isEqualTo(RAW_KEY);
        assertThat(dead.value()).as("the source record's bytes, not what the processor got").isEqualTo(RAW_VALUE);
        assertThat(dead.timestamp()).isEqualTo(1_000L);
        assertThat(header(dead, "trace")).isEqualTo("t-1");
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.PROCESSING_FAILED.name());
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).isEqualTo(
                "processor user-features (task 0_2) threw: java.lang.IllegalStateException: boom");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.EVENTS);
        assertThat(header(dead, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("41");
        assertThat(header(dead, DeadLetterHeaders.TIME)).isEqualTo(NOW.toString());
        assertThat(metric("dead-lettered-processing-failed-total")).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterTheEventsOriginalBytesWhenKafkaStreamsHasReleasedTheRawRecord() {
        final byte[] original = {0, 0, 0, 0, 3, 1, 2};
        final Response response = handler.handleError(new Context(Topics.EVENTS, 0, 5, new RecordHeaders(), null, null),
                new Record<>("user-1", valid("user-1", original), 1_000), new IllegalArgumentException("odd value"));

        final ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().getFirst();
        assertThat(dead.value()).isEqualTo(original);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("user-1");
    }

    @Test
    void shouldDeadLetterARawRecordThatIngestFailedOnWhenTheRawRecordIsReleased() {
        final Response response = handler.handleError(new Context(Topics.EVENTS, 0, 5, new RecordHeaders(), null, null),
                new Record<>(RAW_KEY, RAW_VALUE, 1_000), new NullPointerException());

        final ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().getFirst();
        assertThat(dead.key()).isEqualTo(RAW_KEY);
        assertThat(dead.value()).isEqualTo(RAW_VALUE);
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).endsWith("threw: java.lang.NullPointerException");
    }

    @Test
    void shouldSkipAFailedPunctuationWithoutADeadLetter() {
        final Response response = handler.handleError(new Context(null, -1, -1, new RecordHeaders(), null, null),
                null, new IllegalStateException("expiry failed"));

        assertThat(response.result()).isEqualTo(Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(metric("processing-failures-skipped-total")).isEqualTo(1.0);
        assertThat(metric("dead-lettered-processing-failed-total")).isZero();
    }

    @Test
    void shouldFailTheTaskOnFailuresThatAreNotTheRecordsFaultHoweverWrapped() {
        for (final Exception notTheRecords : new Exception[] {
                new SchemaRegistryUnavailableException("registry refused the connection", 0, 0, null),
                new IllegalStateException("wrapped", new TaskMigratedException("producer fenced")),
                new StreamsException("Producer.send `Callback` failed"),
                new TimeoutException("metadata not available after 60000 ms"),
                new RuntimeException(new InterruptedException())}) {
            final Response response = handler.handleError(new Context(Topics.EVENTS, 0, 5, new RecordHeaders(), RAW_KEY,
                    RAW_VALUE), new Record<>(RAW_KEY, RAW_VALUE, 1_000), notTheRecords);

            assertThat(response.result()).as(notTheRecords.toString()).isEqualTo(Result.FAIL);
            assertThat(response.deadLetterQueueRecords()).isEmpty();
        }
        assertThat(metric("processing-failures-task-failed-total")).isEqualTo(5.0);
    }

    @Test
    void shouldDeadLetterACastThatKafkaStreamsWrappedAsIfItWereASerdeMistake() {
        final Response response = handler.handleError(new Context(Topics.EVENTS, 0, 5, new RecordHeaders(), RAW_KEY,
                        RAW_VALUE), new Record<>(RAW_KEY, RAW_VALUE, 1_000),
                new StreamsException("ClassCastException invoking processor: admit", new ClassCastException("Long")));

        assertThat(response.result()).isEqualTo(Result.RESUME);
        assertThat(header(response.deadLetterQueueRecords().getFirst(), DeadLetterHeaders.MESSAGE))
                .contains("caused by java.lang.ClassCastException: Long");
    }

    @Test
    void shouldStillDeadLetterAndResumeWhenTheExceptionCannotEvenBeDescribed() {
        final RuntimeException hostile = new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("no message for you");
            }
        };
        final Response response = handler.handleError(new Context(Topics.EVENTS, 0, 7, new RecordHeaders(), RAW_KEY,
                RAW_VALUE), new Record<>("user-1", valid("user-1", new byte[] {9}), 1_000), hostile);

        assertThat(response.result()).isEqualTo(Result.RESUME);
        final ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().getFirst();
        assertThat(dead.value()).isEqualTo(RAW_VALUE);
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.PROCESSING_FAILED.name());
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("its message could not be read");
    }

    @Test
    void shouldRefuseSomethingElseWhereTheSharedFailuresBelong() {
        assertThatThrownBy(() -> new DeadLetterProcessingExceptionHandler().configure(
                Map.of(DeadLetterProcessingExceptionHandler.FAILURES_CONFIG, "counts")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ProcessingFailures.class.getName());
    }

    private static ValidEvent valid(final String user, final byte[] original) {
        return new ValidEvent(ClickEvent.newBuilder().setEventId("e-1").setEventType(EventType.CLICK).setUserId(user)
                .setEventTime(NOW).setProperties(Map.of()).build(), original);
    }

    private double metric(final String name) {
        return ((Number) metrics.metric(metrics.metricName(name, ProcessingFailures.GROUP)).metricValue()).doubleValue();
    }

    private static String header(final ProducerRecord<?, ?> record, final String key) {
        return DeadLetterHeaders.read(record.headers(), key).orElse(null);
    }

    /** What Kafka Streams tells the handler; a null topic and offset -1 are a punctuation's. */
    private record Context(String topic, int partition, long offset, Headers headers, byte[] sourceRawKey,
                           byte[] sourceRawValue) implements ErrorHandlerContext {
        @Override
        public String processorNodeId() {
            return "user-features";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, partition < 0 ? 0 : partition);
        }

        @Override
        public long timestamp() {
            return 1_000;
        }
    }
}
