package io.rollstream.topologies.ingest;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.util.Locale;

/**
 * Rollstream's processor metrics, registered through Kafka Streams so they appear beside its own
 * (group {@code stream-rollstream-metrics}, tagged with thread and task): {@code <operation>-rate}
 * and {@code <operation>-total}.
 */
public final class ProcessorMetrics {

    public static final String SCOPE = "rollstream";

    private ProcessorMetrics() {
    }

    public static Sensor rateTotal(final ProcessorContext<?, ?> context, final String stage, final String operation) {
        return context.metrics().addRateTotalSensor(SCOPE, stage + "-" + context.taskId(), operation,
                Sensor.RecordingLevel.INFO);
    }

    static String slug(final String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
