package io.rollstream.featurestore.routing;

import io.rollstream.featurestore.answers.AnswerCache;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;

import java.util.HashMap;
import java.util.Map;

/**
 * What the read path does, for operators: how many ids this instance answered from its own active
 * copies and from standbys (stale), how many groups of ids it forwarded to other instances and how
 * many of those failed, how many requests needed another round after a backoff, how many ended in
 * 503, and how long requests took. Group {@value #GROUP}, served on {@code /metrics} beside Kafka
 * Streams' own (as {@code kafka_rollstream_serving_...}).
 */
public final class ServingMetrics implements AutoCloseable {

    public static final String GROUP = "rollstream-serving";

    private final Metrics metrics = new Metrics();
    private final Sensor localReads = countAndRate("local-reads", "ids answered from an active copy on this instance");
    private final Sensor staleReads = countAndRate("stale-reads",
            "ids answered from a standby copy on this instance, flagged stale");
    private final Sensor forwards = countAndRate("forwards", "groups of ids forwarded to another instance");
    private final Sensor forwardFailures = countAndRate("forward-failures",
            "forwards that failed (unreachable, timed out, or answered an error); their ids moved on to the next copy");
    private final Sensor retryRounds = countAndRate("retry-rounds",
            "rounds a request waited for after a backoff, because some ids had no copy to read yet");
    private final Sensor unavailable = countAndRate("unavailable",
            "requests answered 503 with Retry-After: some id had no readable copy before the deadline");
    private final Sensor requestLatency = metrics.sensor("request-latency");

    public ServingMetrics() {
        requestLatency.add(name("request-latency-avg", "average time to answer a read request, ms"), new Avg());
        requestLatency.add(name("request-latency-max", "longest time to answer a read request, ms"), new Max());
    }

    private Sensor countAndRate(final String sensor, final String description) {
        final Sensor created = metrics.sensor(sensor);
        // Sums of the values recorded: 1 per event, or the number of ids read at once.
        created.add(name(sensor + "-total", "total " + description), new CumulativeSum());
        created.add(name(sensor + "-rate", "per second, " + description), new Rate());
        return created;
    }

    private MetricName name(final String name, final String description) {
        return metrics.metricName(name, GROUP, description);
    }

    void localReads(final int ids, final boolean stale) {
        if (ids > 0) {
            (stale ? staleReads : localReads).record(ids);
        }
    }

    void forwarded(final boolean failed) {
        forwards.record();
        if (failed) {
            forwardFailures.record();
        }
    }

    void retryRound() {
        retryRounds.record();
    }

    void unavailable() {
        unavailable.record();
    }

    void requestTook(final long nanos) {
        requestLatency.record(nanos / 1e6);
    }

    /**
     * Reports an entity's answer cache: answers kept, reads it answered, reads it could not. Reads it
     * answered are not counted in {@code local-reads}, which counts reads of the stores.
     */
    public void watch(final String entity, final AnswerCache<?> answers) {
        final Map<String, String> tags = Map.of("entity", entity);
        metrics.addMetric(metrics.metricName("answer-cache-hits-total", GROUP,
                "single gets answered with a kept answer, without reading the store", tags),
                (Gauge<Long>) (config, now) -> answers.hits());
        metrics.addMetric(metrics.metricName("answer-cache-misses-total", GROUP,
                "single gets of all features that found no kept answer holding at their as_of", tags),
                (Gauge<Long>) (config, now) -> answers.misses());
        metrics.addMetric(metrics.metricName("answer-cache-answers", GROUP, "answers kept now", tags),
                (Gauge<Integer>) (config, now) -> answers.size());
    }

    /** The read path's metrics (not the registry's own bookkeeping, which Kafka Streams already reports). */
    public Map<MetricName, ? extends Metric> metrics() {
        final Map<MetricName, Metric> ours = new HashMap<>();
        metrics.metrics().forEach((name, metric) -> {
            if (name.group().equals(GROUP)) {
                ours.put(name, metric);
            }
        });
        return ours;
    }

    @Override
    public void close() {
        metrics.close();
    }
}
