package io.rollstream.cli;

import io.rollstream.collector.CollectorServer;
import io.rollstream.collector.CollectorSettings;
import io.rollstream.schemas.contract.ClockSkew;
import io.rollstream.schemas.contract.EventLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Runs the HTTP collector against an existing cluster until Ctrl-C. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Run the HTTP collector: POST /v1/events takes one JSON event, a JSON array or NDJSON,",
                "validates each against the ClickEvent schema and writes the valid ones to Kafka in the",
                "Confluent wire format, answering once Kafka acknowledged them (see the README's Producers)."})
final class CollectCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port[,...].")
    String bootstrapServers;

    @Option(names = "--registry-url", required = true, description = "Confluent-compatible schema registry base URL.")
    String registryUrl;

    @Option(names = "--topic", defaultValue = CollectorSettings.DEFAULT_TOPIC,
            description = "Topic to write to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--http-host", defaultValue = CollectorSettings.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "" + CollectorSettings.DEFAULT_PORT,
            description = "Port to listen on; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--max-body-bytes", defaultValue = "" + CollectorSettings.DEFAULT_MAX_BODY_BYTES,
            description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-batch-events", defaultValue = "" + CollectorSettings.DEFAULT_MAX_BATCH_EVENTS,
            description = "Requests with more events get 413 (default: ${DEFAULT-VALUE}).")
    int maxBatchEvents;

    @Option(names = "--max-concurrent-requests", defaultValue = "" + CollectorSettings.DEFAULT_MAX_CONCURRENT_REQUESTS,
            description = "Requests beyond this many at once get 503; bounds the memory bodies take (default: ${DEFAULT-VALUE}).")
    int maxConcurrentRequests;

    @Option(names = "--max-future-skew", defaultValue = ClockSkew.DEFAULT_MAX_FUTURE_SKEW_MINUTES + "m",
            converter = DurationConverter.class,
            description = "Reject event_time further ahead of this clock (default: ${DEFAULT-VALUE}).")
    Duration maxFutureSkew;

    @Option(names = "--max-event-age", defaultValue = "30d", converter = DurationConverter.class,
            description = "Reject older event_time; set it to your features' longest window (default: ${DEFAULT-VALUE}).")
    Duration maxEventAge;

    @Option(names = "--delivery-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long Kafka gets to acknowledge before a request gets 503 (default: ${DEFAULT-VALUE}).")
    Duration deliveryTimeout;

    @Option(names = "--max-block", defaultValue = "1s", converter = DurationConverter.class,
            description = "How long a send waits for Kafka metadata or producer buffer space before 503 (default: ${DEFAULT-VALUE}).")
    Duration maxBlock;

    @Option(names = "--retry-after", defaultValue = "2s", converter = DurationConverter.class,
            description = "Retry-After of a 503 (default: ${DEFAULT-VALUE}).")
    Duration retryAfter;

    @Option(names = {"-L", "--event-limit"}, paramLabel = "NAME=VALUE",
            description = "A limit of the event contract, as the feature store's ingest has it (keep them the same): "
                    + "max-id-chars, max-url-chars, max-text-chars, max-property-entries, max-property-key-chars, "
                    + "max-property-value-chars, max-event-bytes; with or without the rollstream.events. prefix. "
                    + "Repeatable. Defaults: serve --list-settings.")
    Map<String, String> eventLimits = new HashMap<>();

    @Option(names = {"-P", "--producer-property"}, paramLabel = "KEY=VALUE",
            description = "A Kafka producer setting (security, compression.type, linger.ms, ...); repeatable.")
    Map<String, String> producerProperties = new HashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        final CollectorSettings settings = CollectorSettings.builder()
                .bootstrapServers(bootstrapServers).registryUrl(registryUrl).topic(topic)
                .httpHost(httpHost).httpPort(httpPort)
                .maxBodyBytes(maxBodyBytes).maxBatchEvents(maxBatchEvents).maxConcurrentRequests(maxConcurrentRequests)
                .maxFutureSkew(maxFutureSkew).maxEventAge(maxEventAge)
                .deliveryTimeout(deliveryTimeout).maxBlock(maxBlock).retryAfter(retryAfter)
                .producerProperties(producerProperties)
                .eventLimits(EventLimits.fromNamed(eventLimits))
                .build();
        final CountDownLatch stopped = new CountDownLatch(1);
        final CollectorServer collector = CollectorServer.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            collector.close();
            stopped.countDown();
        }, "rollstream-collect-shutdown"));
        System.out.println("Collector: " + collector.uri() + " (POST /v1/events) writing to " + topic + " at "
                + bootstrapServers);
        System.out.println("Try:  curl -s -H 'Content-Type: application/json' -d '{\"event_type\":\"PAGE_VIEW\","
                + "\"user_id\":\"user-1\",\"event_time\":" + System.currentTimeMillis() + "}' " + collector.uri() + "/v1/events");
        stopped.await();
        return 0;
    }
}
