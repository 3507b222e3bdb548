package io.rollstream.bench;

import org.apache.kafka.common.KafkaFuture;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for an Admin call to the benchmark's broker; a failure says what was being done. */
public final class BrokerCalls {

    /** Far beyond what an in-process broker takes: reaching it means the broker is stuck or gone. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private BrokerCalls() {
    }

    /**
     * The call's result.
     *
     * @param what what the call does, as in "cannot {what}": "read the end offsets of [topic]"
     */
    public static <T> T await(final KafkaFuture<T> call, final String what) {
        try {
            return call.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + what + " on the broker: " + e.getMessage(), e);
        }
    }
}
