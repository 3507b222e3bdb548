package io.rollstream.featurestore.http;

import io.rollstream.featurestore.query.ServedEntity;
import io.rollstream.featurestore.routing.FeatureRouter;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.Map;

/** A backend that serves the given entities through the given router: always live and ready, no metrics. */
record ReadyBackend(Map<String, ServedEntity> entities, FeatureRouter router) implements FeatureHttpServer.Backend {

    static ReadyBackend of(final ServedEntity entity, final FeatureRouter router) {
        return new ReadyBackend(Map.of(entity.name(), entity), router);
    }

    @Override
    public boolean isLive() {
        return true;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public Map<String, Object> status() {
        return Map.of();
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return Map.of();
    }
}
