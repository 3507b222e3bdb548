package io.rollstream.featurestore;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rollstream.devstack.EmbeddedKafka;
import io.rollstream.schemas.contract.Topics;
import io.rollstream.schemas.contract.ClockSkew;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the provisioner makes of the events topic on a real broker: created guarded, or checked and warned about. */
class TopicProvisionerIT {

    private static final ClockSkew SKEW = new ClockSkew(Duration.ofMinutes(5));

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private EmbeddedKafka kafka;
    private Admin admin;

    @BeforeEach
    void start() {
        kafka = EmbeddedKafka.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        logged.start();
        ((Logger) LoggerFactory.getLogger(TopicProvisioner.class)).addAppender(logged);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(TopicProvisioner.class)).detachAppender(logged);
        admin.close();
        kafka.close();
    }

    @Test
    void shouldCreateTheEventsTopicRefusingRecordsStampedFurtherAheadThanTheSkew() throws Exception {
        final int partitions = new TopicProvisioner(admin, 2, (short) 1, SKEW).ensureTopics(List.of());

        assertThat(partitions).isEqualTo(2);
        assertThat(eventsTopicAllowance()).isEqualTo("300000");
        assertThat(warnings()).isEmpty();
    }

    @Test
    void shouldWarnWithTheFixWhenAnExistingEventsTopicLetsStampsRunFurtherAhead() throws Exception {
        admin.createTopics(List.of(new NewTopic(Topics.EVENTS, 3, (short) 1))).all().get();

        final int partitions = new TopicProvisioner(admin, 2, (short) 1, SKEW).ensureTopics(List.of());

        assertThat(partitions).as("an existing topic's partitions are what counts").isEqualTo(3);
        assertThat(eventsTopicAllowance()).as("left as it is: Kafka's default").isEqualTo("3600000");
        assertThat(warnings()).singleElement().asString()
                .contains(Topics.EVENTS, "3600000", "kafka-configs --alter",
                        TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG + "=300000");
    }

    @Test
    void shouldNotWarnAboutAnExistingEventsTopicThatIsGuarded() throws Exception {
        admin.createTopics(List.of(new NewTopic(Topics.EVENTS, 3, (short) 1)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, "60000")))).all().get();

        new TopicProvisioner(admin, 2, (short) 1, SKEW).ensureTopics(List.of());

        assertThat(warnings()).isEmpty();
    }

    private String eventsTopicAllowance() throws Exception {
        final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS);
        return admin.describeConfigs(List.of(topic)).all().get().get(topic)
                .get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG).value();
    }

    private List<String> warnings() {
        return logged.list.stream().filter(event -> event.getLevel().toString().equals("WARN"))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
