package io.rollstream.bench;

import io.rollstream.featurestore.FeatureStoreConfig;
import io.rollstream.featurestore.rocksdb.BoundedMemoryRocksDBConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka Streams configuration every variant runs with, identical but for the application id,
 * the processing guarantee being measured and a variant's own overrides (see {@link StreamsApp}):
 * same threads, commit interval, producer batch size and compression (the service's), record cache (Kafka's
 * default), changelogs (on, as in production) and RocksDB memory setter.
 */
record StreamsSettings(String bootstrapServers, Path stateRoot, int streamThreads, Duration commitInterval, String compression,
                       long rocksDbMemoryBytes) {

    /** @param overrides settings of this one application, applied last */
    Properties properties(final String applicationId, final String guarantee, final String probe,
                          final Map<String, Object> overrides) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(applicationId).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), FeatureStoreConfig.PRODUCER_BATCH_BYTES_DEFAULT);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), compression);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class);
        props.put(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, rocksDbMemoryBytes);
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG), FirstRecordInterceptor.class.getName());
        props.put(StreamsConfig.mainConsumerPrefix(FirstRecordInterceptor.PROBE_CONFIG), probe);
        props.putAll(overrides);
        return props;
    }
}
