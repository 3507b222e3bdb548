package io.rollstream.featurestore.http;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusMetricsHandlerTest {

    @Test
    void shouldRenderNumericMetricsWithSanitizedNamesAndEscapedTags() {
        try (Metrics metrics = new Metrics()) {
            final MetricName name = metrics.metricName("dead-lettered-malformed-total", "stream-rollstream-metrics",
                    "", Map.of("thread-id", "t\"1", "task-id", "0_1"));
            metrics.addMetric(name, new CumulativeSum());
            final KafkaMetric metric = metrics.metric(name);
            metric.measurable();
            final String text = PrometheusMetricsHandler.render(Map.of(name, metric));
            assertThat(text).contains("# TYPE kafka_stream_rollstream_metrics_dead_lettered_malformed_total gauge")
                    .contains("kafka_stream_rollstream_metrics_dead_lettered_malformed_total{task_id=\"0_1\",thread_id=\"t\\\"1\"} 0.0");
        }
    }
}
