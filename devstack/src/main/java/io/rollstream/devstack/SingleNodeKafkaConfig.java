package io.rollstream.devstack;

import kafka.server.KafkaConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The configuration of a one-node KRaft cluster (combined broker and controller) on 127.0.0.1. */
final class SingleNodeKafkaConfig {

    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final int DEFAULT_PARTITIONS = 3;
    static final int NODE_ID = 1;

    private SingleNodeKafkaConfig() {
    }

    static KafkaConfig create(final Path logDir, final int controllerPort) {
        final Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        // A static voter set: unlike a dynamic (KIP-853) quorum it does not store the controller's
        // address in the log, so a kept data directory can restart on a different free port.
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        // Port 0: the broker binds a free port and advertises the port it actually got.
        props.put("listeners", CLIENT_LISTENER + "://127.0.0.1:0," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", String.valueOf(DEFAULT_PARTITIONS));

        // Internal topics default to three replicas; on one broker they could never be created, and
        // consumer groups, transactions (exactly_once_v2) and share groups would wait forever.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Nobody else is going to join: rebalance at once instead of waiting 3 s for more members.
        props.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's default 128 MB dedupe buffer would be taken from the heap of the JVM that
        // hosts this broker (the CLI or a test run); compacted dev topics are small.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return new KafkaConfig(props, false);
    }
}
