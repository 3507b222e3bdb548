package io.rollstream.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaTest {

    @Test
    void shouldDeliverProducedRecordsToConsumer() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(3, "clicks");
            try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("clicks", "user-" + (i % 3), "click-" + i)).get();
                }
            }
            assertThat(values(readAll(kafka, "clicks", 10, "read_uncommitted")))
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 10).mapToObj(i -> "click-" + i).toList());
        }
    }

    @Test
    void shouldCommitTransactionsOnSingleBroker() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(3, "features");
            try (KafkaProducer<String, String> producer = producer(kafka,
                    Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID()))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("features", "user-1", "committed"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("features", "user-1", "aborted")).get();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("features", "user-2", "committed-too"));
                producer.commitTransaction();
            }
            assertThat(values(readAll(kafka, "features", 2, "read_committed")))
                    .containsExactlyInAnyOrder("committed", "committed-too");
        }
    }

    @Test
    void shouldCreateTopicsIdempotentlyAndServeThemOnReturn() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); Admin admin = admin(kafka)) {
            kafka.createTopics(5, "events", "events.dlq");
            kafka.createTopics(2, "events");

            final Map<String, TopicDescription> topics =
                    admin.describeTopics(List.of("events", "events.dlq")).allTopicNames().get();
            assertThat(topics.get("events").partitions()).hasSize(5);
            assertThat(topics.get("events.dlq").partitions()).hasSize(5);
        }
    }

    @Test
    void shouldGiveTopicsWithoutExplicitPartitionCountThreePartitions() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic("defaulted", Optional.empty(), Optional.empty()))).all().get();

            await().pollInSameThread().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                    assertThat(admin.describeTopics(List.of("defaulted")).allTopicNames().get().get("defaulted").partitions())
                            .hasSize(3));
        }
    }

    @Test
    void shouldListenOnLoopbackOnly() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); Admin admin = admin(kafka)) {
            assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
            final Collection<Node> nodes = admin.describeCluster().nodes().get();
            assertThat(nodes).singleElement().extracting(Node::host).isEqualTo("127.0.0.1");

            Loopback.assertUnreachableFromOtherInterfaces(Integer.parseInt(kafka.bootstrapServers().split(":")[1]));
        }
    }

    @Test
    void shouldKeepTopicsAndRecordsInGivenDataDirAcrossRestart(@TempDir final Path dir) throws Exception {
        final Path dataDir = dir.resolve("kafka");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
            kafka.createTopics(1, "kept");
            try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
                producer.send(new ProducerRecord<>("kept", "k", "before-restart")).get();
            }
        }
        assertThat(dataDir).isNotEmptyDirectory();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
            assertThat(values(readAll(kafka, "kept", 1, "read_uncommitted"))).containsExactly("before-restart");
        }
    }

    @Test
    void shouldRefuseDataDirThatHoldsSomethingElse(@TempDir final Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not Kafka's");
        assertThatThrownBy(() -> EmbeddedKafka.start(dir))
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("empty");
    }

    @Test
    void shouldStopAllThreadsAndDeleteTemporaryDataOnClose() {
        final Set<Thread> before = liveNonDaemonThreads();
        final EmbeddedKafka kafka = EmbeddedKafka.start();
        final Path dataDir = kafka.dataDir();
        kafka.createTopics(1, "t");
        kafka.close();
        kafka.close();

        assertThat(dataDir).doesNotExist();
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(liveNonDaemonThreads()).map(Thread::getName).isSubsetOf(names(before)));
    }

    private static KafkaProducer<String, String> producer(final EmbeddedKafka kafka, final Map<String, Object> extra) {
        final Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static Admin admin(final EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static List<ConsumerRecord<String, String>> readAll(final EmbeddedKafka kafka, final String topic,
                                                               final int expected, final String isolation) {
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // One more poll: a wrong broker could deliver more than it should (e.g. aborted records).
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static List<String> values(final List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !thread.isDaemon())
                .collect(Collectors.toSet());
    }

    private static Set<String> names(final Set<Thread> threads) {
        return threads.stream().map(Thread::getName).collect(Collectors.toSet());
    }
}
