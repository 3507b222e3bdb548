package io.rollstream.featurestore.http;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: every numeric Kafka Streams, client and Rollstream metric in the Prometheus
 * text format, e.g. {@code kafka_stream_rollstream_metrics_dead_lettered_malformed_total{...}}.
 * Rendered from the live metric registry on each scrape, so nothing is cached or sampled twice.
 */
final class PrometheusMetricsHandler implements Endpoint {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<Map<MetricName, ? extends Metric>> metrics;

    PrometheusMetricsHandler(final Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    @Override
    public ApiAnswer answer(final ApiRequest request) {
        final ApiAnswer wrongMethod = HttpResponses.unlessGet(request);
        return wrongMethod != null ? wrongMethod : ApiAnswer.text(200, CONTENT_TYPE, render(metrics.get()));
    }

    static String render(final Map<MetricName, ? extends Metric> metrics) {
        final Map<String, StringBuilder> byName = new TreeMap<>();
        for (final Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            final Object value = entry.getValue().metricValue();
            if (!(value instanceof Number number)) {
                continue;
            }
            final MetricName name = entry.getKey();
            final String promName = sanitize("kafka_" + name.group() + "_" + name.name());
            final StringBuilder lines = byName.computeIfAbsent(promName, n -> new StringBuilder());
            lines.append(promName);
            if (!name.tags().isEmpty()) {
                lines.append('{');
                boolean first = true;
                for (final Map.Entry<String, String> tag : new TreeMap<>(name.tags()).entrySet()) {
                    lines.append(first ? "" : ",").append(sanitize(tag.getKey())).append("=\"")
                            .append(escape(tag.getValue())).append('"');
                    first = false;
                }
                lines.append('}');
            }
            lines.append(' ').append(format(number.doubleValue())).append('\n');
        }
        final StringBuilder out = new StringBuilder(byName.size() * 128);
        for (final Map.Entry<String, StringBuilder> entry : byName.entrySet()) {
            out.append("# TYPE ").append(entry.getKey()).append(" gauge\n").append(entry.getValue());
        }
        return out.toString();
    }

    private static String sanitize(final String name) {
        final String cleaned = name.replaceAll("[^a-zA-Z0-9_]", "_");
        return Character.isDigit(cleaned.charAt(0)) ? "_" + cleaned : cleaned;
    }

    private static String escape(final String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(final double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }
}
