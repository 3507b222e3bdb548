package io.rollstream.featurestore.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * How reads are served across instances; from the {@code rollstream.serving.*} settings.
 *
 * @param maxStandbyLagRecords the most changelog records a stale copy may be behind and still answer
 * @param requestTimeout       deadline of one request, forwards and retries included
 * @param forwardTimeout       how long one forward may take before the next replica is tried
 * @param batchMaxIds          the most ids one batch may ask for
 */
public record ServingSettings(long maxStandbyLagRecords, Duration requestTimeout, Duration forwardTimeout,
                              int batchMaxIds) {

    public ServingSettings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(forwardTimeout, "forwardTimeout");
        if (maxStandbyLagRecords < 0 || batchMaxIds < 1 || requestTimeout.isNegative() || forwardTimeout.isNegative()) {
            throw new IllegalArgumentException("invalid serving settings " + maxStandbyLagRecords + ", " + requestTimeout
                    + ", " + forwardTimeout + ", " + batchMaxIds);
        }
    }
}
