package io.rollstream.featurestore.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollstream.engine.FeatureVector;

import java.util.Objects;

/** The answer for one id: read from a store of this instance, or relayed from the instance that read it. */
public sealed interface ServedResult {

    String id();

    /**
     * Read here.
     *
     * @param stale      whether it came from a standby or a restoring copy rather than a running active
     * @param servedBy   this instance, {@code host:port}
     * @param lagRecords how many changelog records the copy read was behind (0 for a running active)
     */
    record Local(String id, FeatureVector vector, boolean stale, String servedBy, long lagRecords)
            implements ServedResult {
        public Local {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(vector, "vector");
            Objects.requireNonNull(servedBy, "servedBy");
        }
    }

    /** Read by another instance; {@code json} is its result object, passed on as it is. */
    record Relayed(String id, JsonNode json) implements ServedResult {
        public Relayed {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(json, "json");
        }
    }
}
