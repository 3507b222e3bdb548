package io.rollstream.publisher;

import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.schemas.contract.EventLimits;
import io.rollstream.schemas.contract.EventValidator;
import io.rollstream.schemas.contract.Texts;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClients;
import io.rollstream.schemas.registry.SchemaRegistryConfig;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.SerializerOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes clickstream events to Rollstream from any Java application: the {@code clickstream.events}
 * contract (key = user id, value = Avro {@code ClickEvent} in the Confluent wire format under subject
 * {@code clickstream.events-value}) with an idempotent {@code acks=all} producer, so an acknowledged event is
 * on every in-sync replica and a producer retry never writes it twice.
 *
 * <pre>{@code
 * try (EventPublisher publisher = EventPublisher.builder()
 *         .bootstrapServers("kafka-1:9092").registryUrl("http://registry:8081").build()) {
 *     publisher.send(EventPublisher.event(EventType.PURCHASE).user("u-1").item("sku-9").price(19.99).build())
 *             .whenComplete((metadata, error) -> ...);
 * }
 * }</pre>
 *
 * <p>{@link #send} never blocks for long: it encodes the event (asking the registry once per schema), hands it
 * to the producer's buffer and returns a future completed when Kafka acknowledged it. Events are batched by
 * the producer ({@code linger.ms} 5, {@code batch.size} 64 KiB by default; tune them with
 * {@link Builder#producerProperty}). Every failure, synchronous or not, arrives as a failed future holding a
 * {@link PublishException}. Thread-safe; share one publisher per application.
 */
public final class EventPublisher implements AutoCloseable {

    /** The events topic of the Rollstream contract. */
    public static final String DEFAULT_TOPIC = Topics.EVENTS;

    private final Producer<String, byte[]> producer;
    private final ConfluentAvroSerializer<ClickEvent> serializer;
    private final SchemaRegistryClient ownedRegistry;
    private final String topic;
    private final String target;
    private final PublishFailures failures;
    private final EventValidator validator;
    private final Clock clock;

    EventPublisher(final Producer<String, byte[]> producer, final ConfluentAvroSerializer<ClickEvent> serializer,
                   final SchemaRegistryClient ownedRegistry, final String topic, final String target) {
        this(producer, serializer, ownedRegistry, topic, target, EventValidator.defaults(), Clock.systemUTC());
    }

    EventPublisher(final Producer<String, byte[]> producer, final ConfluentAvroSerializer<ClickEvent> serializer,
                   final SchemaRegistryClient ownedRegistry, final String topic, final String target,
                   final EventValidator validator, final Clock clock) {
        this.validator = validator;
        this.clock = clock;
        this.producer = producer;
        this.serializer = serializer;
        this.ownedRegistry = ownedRegistry;
        this.topic = topic;
        this.target = target;
        this.failures = new PublishFailures(topic, target);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A typed event of {@code type}, stamped now unless {@link EventBuilder#time} says otherwise. */
    public static EventBuilder event(final EventType type) {
        return new EventBuilder(type, Clock.systemUTC());
    }

    /**
     * Encodes the event and hands it to the producer. The future completes with the record's partition and
     * offset once every in-sync replica has it, or fails with a {@link PublishException}.
     */
    public CompletableFuture<RecordMetadata> send(final ClickEvent event) {
        Objects.requireNonNull(event, "event");
        final CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        final byte[] value;
        try {
            value = encode(event);
        } catch (final PublishException e) {
            result.completeExceptionally(e);
            return result;
        }
        try {
            producer.send(new ProducerRecord<>(topic, event.getUserId(), value), (metadata, error) -> {
                if (error == null) {
                    result.complete(metadata);
                } else {
                    result.completeExceptionally(failures.fromKafka(event, error));
                }
            });
        } catch (final RuntimeException e) {
            // send() throws only before the record is buffered (closed, interrupted, bad config); the callback
            // never runs then, so this is the only place the failure is seen.
            result.completeExceptionally(failures.fromKafka(event, e));
        }
        return result;
    }

    private byte[] encode(final ClickEvent event) {
        if (event.getUserId() == null || event.getUserId().isBlank()) {
            throw new PublishException(PublishException.Reason.INVALID_EVENT, "Event " + event.getEventId()
                    + " has no user id; the user id is the record key and the entity its features belong to. "
                    + "Set user_id before publishing.", null);
        }
        final byte[] value;
        try {
            value = serializer.serialize(topic, event);
        } catch (final RuntimeException e) {
            throw failures.fromEncoding(event, e);
        }
        // The pipeline would dead-letter it: refuse it here, where the application can still fix it.
        final Optional<EventValidator.Violation> violation = validator.check(event,
                value.length - ConfluentWireFormat.HEADER_SIZE, clock.millis());
        if (violation.isPresent()) {
            throw new PublishException(PublishException.Reason.INVALID_EVENT, "Event " + Texts.abbreviate(
                    String.valueOf(event.getEventId())) + " breaks the event contract (" + violation.get().reason()
                    + ", field " + violation.get().field() + "): " + violation.get().message()
                    + ". The pipeline would dead-letter it; fix the event before publishing.", null);
        }
        return value;
    }

    /** Blocks until every event sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** Where this publisher writes: brokers and topic, for messages and logs. */
    public String target() {
        return target;
    }

    /** Sends what is buffered (waiting up to 30 s), then releases the producer and the registry client. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Sends what is buffered for up to {@code timeout}; events still unsent then fail with {@code KAFKA_UNAVAILABLE}. */
    public void close(final Duration timeout) {
        try {
            producer.close(timeout);
        } finally {
            serializer.close();
            if (ownedRegistry != null) {
                ownedRegistry.close();
            }
        }
    }

    /** Configures a publisher: brokers and registry are required, everything else has a safe default. */
    public static final class Builder {

        /** Settings whose weakening would lose or duplicate accepted events, or break the wire format. */
        private static final Set<String> FIXED = Set.of(ProducerConfig.ACKS_CONFIG,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

        private String bootstrapServers;
        private final Map<String, Object> registryConfig = new HashMap<>();
        private SchemaRegistryClient registry;
        private String topic = DEFAULT_TOPIC;
        private boolean autoRegisterSchema = true;
        private final Map<String, Object> producerProperties = new HashMap<>();
        private EventValidator validator = EventValidator.defaults();

        private Builder() {
        }

        /** Kafka brokers, {@code host:port[,host:port...]}. */
        public Builder bootstrapServers(final String servers) {
            this.bootstrapServers = Objects.requireNonNull(servers, "servers");
            return this;
        }

        /**
         * A Confluent-compatible registry: Confluent Schema Registry or Karapace ({@code http://host:8081}),
         * Apicurio ({@code http://host:8080/apis/ccompat/v7}); several comma-separated URLs of one registry.
         */
        public Builder registryUrl(final String url) {
            registryConfig.put(SchemaRegistryConfig.URL_CONFIG, Objects.requireNonNull(url, "url"));
            return this;
        }

        /** A registry setting under Confluent's name, e.g. {@code basic.auth.user.info}. */
        public Builder registryProperty(final String key, final Object value) {
            registryConfig.put(key, value);
            return this;
        }

        /** A registry client to use instead of {@link #registryUrl}; the caller keeps ownership and closes it. */
        public Builder registry(final SchemaRegistryClient client) {
            this.registry = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The topic; {@value #DEFAULT_TOPIC} unless you run Rollstream with another. */
        public Builder topic(final String name) {
            this.topic = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Whether the first send registers the {@code ClickEvent} schema under {@code <topic>-value} (default) or
         * only looks its id up, failing with {@code SCHEMA_REJECTED} when it is not registered.
         */
        public Builder autoRegisterSchema(final boolean autoRegister) {
            this.autoRegisterSchema = autoRegister;
            return this;
        }

        /**
         * A Kafka producer setting ({@code linger.ms}, {@code compression.type}, {@code delivery.timeout.ms},
         * security...). {@code acks}, {@code enable.idempotence} and the serializers are fixed.
         */
        public Builder producerProperty(final String key, final Object value) {
            if (FIXED.contains(key)) {
                throw new IllegalArgumentException("EventPublisher fixes " + key + ": acks=all with idempotence so "
                        + "an acknowledged event is never lost or written twice, and its own serializers for the "
                        + "wire format. Remove the setting.");
            }
            producerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Several producer settings; see {@link #producerProperty}. */
        public Builder producerProperties(final Map<String, ?> properties) {
            properties.forEach(this::producerProperty);
            return this;
        }

        /**
         * Creates the producer and the registry client. Nothing is contacted yet: the first {@link #send}
         * fetches metadata and the schema id.
         *
         * @throws IllegalStateException when brokers or registry are missing
         * @throws org.apache.kafka.common.config.ConfigException when a setting is invalid
         */
        /**
         * The contract's limits and skew to refuse events by before they are sent; keep them the
         * feature store's (defaults: {@link EventValidator#defaults()}).
         */
        public Builder eventRules(final ClockSkew skew, final EventLimits limits) {
            validator = new EventValidator(skew, limits);
            return this;
        }

        public EventPublisher build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalStateException("Set bootstrapServers(\"host:port\"): the Kafka brokers to publish to");
            }
            if (registry == null && !registryConfig.containsKey(SchemaRegistryConfig.URL_CONFIG)) {
                throw new IllegalStateException("Set registryUrl(\"http://host:port\") (or registry(client)): "
                        + "events are Avro whose schema id the registry assigns");
            }
            final SchemaRegistryClient owned = registry == null ? SchemaRegistryClients.create(registryConfig) : null;
            final SchemaRegistryClient client = registry == null ? owned : registry;
            final ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>(client,
                    SerializerOptions.forValues().withAutoRegisterSchemas(autoRegisterSchema));
            try {
                return new EventPublisher(new KafkaProducer<>(producerConfig(), new StringSerializer(),
                        new ByteArraySerializer()), serializer, owned, topic, bootstrapServers + "/" + topic, validator,
                        Clock.systemUTC());
            } catch (final RuntimeException e) {
                if (owned != null) {
                    owned.close();
                }
                throw e;
            }
        }

        private Map<String, Object> producerConfig() {
            final Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
            config.putAll(producerProperties);
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            return config;
        }
    }
}
