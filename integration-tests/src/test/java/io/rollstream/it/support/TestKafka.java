package io.rollstream.it.support;

import io.rollstream.devstack.EmbeddedKafka;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real Kafka broker the integration tests run against, chosen once and logged:
 * {@code -Dkafka.bootstrap=host:port} when given (an external cluster), else Testcontainers Kafka
 * where a Docker engine answers, else the in-process KRaft broker.
 */
public final class TestKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestKafka.class);
    static final String IMAGE = "apache/kafka:4.1.1";

    private final String bootstrapServers;
    private final AutoCloseable owned;

    private TestKafka(final String bootstrapServers, final AutoCloseable owned) {
        this.bootstrapServers = bootstrapServers;
        this.owned = owned;
    }

    public static TestKafka start() {
        final String external = System.getProperty("kafka.bootstrap", "").trim();
        if (!external.isEmpty()) {
            LOG.info("Integration tests use the external Kafka cluster at {} (-Dkafka.bootstrap)", external);
            return new TestKafka(external, null);
        }
        if (dockerAnswers()) {
            final KafkaContainer container = new KafkaContainer(IMAGE);
            container.start();
            LOG.info("Integration tests use Testcontainers Kafka ({}) at {}", IMAGE, container.getBootstrapServers());
            return new TestKafka(container.getBootstrapServers(), container);
        }
        final EmbeddedKafka kafka = EmbeddedKafka.start();
        LOG.info("Integration tests use the in-process KRaft broker at {} (no Docker engine answered)",
                kafka.bootstrapServers());
        return new TestKafka(kafka.bootstrapServers(), kafka);
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (final RuntimeException | LinkageError e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws Exception {
        if (owned != null) {
            owned.close();
        }
    }
}
