package io.rollstream.bench;

import io.rollstream.featurestore.rocksdb.BoundedMemoryRocksDBConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The Kafka Streams configuration every variant runs with, identical but for the application id
 * and the processing guarantee being measured: same threads, commit interval, record cache
 * (Kafka's default), changelogs (on, as in production) and RocksDB memory setter.
 */
record StreamsSettings(String bootstrapServers, Path stateRoot, int streamThreads, Duration commitInterval,
                       long rocksDbMemoryBytes) {

    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(10);

    Properties properties(final String applicationId, final String guarantee, final String probe) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(applicationId).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class);
        props.put(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, rocksDbMemoryBytes);
        // A stream thread looks at shutdown requests only between rounds of processing that may last
        // half of this (150 s by default); at the DSL variant's half a second per event that makes
        // stopping it take minutes. No effect on throughput: fast variants end a round sooner.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), (int) MAX_POLL_INTERVAL.toMillis());
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG), FirstRecordInterceptor.class.getName());
        props.put(StreamsConfig.mainConsumerPrefix(FirstRecordInterceptor.PROBE_CONFIG), probe);
        return props;
    }
}
