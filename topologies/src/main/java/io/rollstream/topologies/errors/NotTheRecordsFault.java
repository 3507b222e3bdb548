package io.rollstream.topologies.errors;

import io.rollstream.schemas.registry.SchemaRegistryUnavailableException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.StreamsException;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * The processing failures that say nothing about the record being processed: the task must fail
 * and be retried from its last commit, as dead-lettering the record would set good data aside (and,
 * for Kafka Streams' own errors, hide a broken producer or store behind a "resumed" record).
 *
 * <ul>
 *   <li>{@link SchemaRegistryUnavailableException}: the registry is down or overloaded; the same
 *       record decodes once it answers.</li>
 *   <li>{@link StreamsException} and its subclasses: Kafka Streams' own failures met while a
 *       processor runs — a fatal send error of an earlier record surfacing on this one's send
 *       (Kafka Streams hands it over once and forgets it, so resuming would lose it), a fenced
 *       producer ({@code TaskMigratedException}), a store that is closed or cannot write
 *       ({@code InvalidStateStoreException}, {@code ProcessorStateException}), a
 *       production-exception handler that chose to fail. One is looked through: Kafka Streams wraps
 *       a {@link ClassCastException} thrown inside a processor in a {@code StreamsException}
 *       (guessing at a wrong Serde), but between Rollstream's processors records are objects of
 *       fixed types, so such a cast is one the record's content led the code into.</li>
 *   <li>{@link RetriableException}: a Kafka client timed out or a broker was briefly unavailable.</li>
 *   <li>{@link InterruptException} and {@link InterruptedException}: the thread is being stopped.</li>
 *   <li>{@link VirtualMachineError}: out of memory or stack; the JVM, not the record, is broken.</li>
 * </ul>
 *
 * Each is looked for along the whole cause chain, as code between Kafka and the processor may wrap
 * it. Everything else thrown while processing a record is taken to be about that record (a value
 * the code did not expect, a bug it triggers) and dead-lettered.
 */
final class NotTheRecordsFault {

    private NotTheRecordsFault() {
    }

    /** The first failure along {@code failure}'s cause chain that is not the record's fault, if any. */
    static Optional<Throwable> find(final Throwable failure) {
        final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (isNotTheRecords(cause)) {
                return Optional.of(cause);
            }
        }
        return Optional.empty();
    }

    private static boolean isNotTheRecords(final Throwable cause) {
        return cause instanceof SchemaRegistryUnavailableException
                || cause instanceof StreamsException && !(cause.getCause() instanceof ClassCastException)
                || cause instanceof RetriableException
                || cause instanceof InterruptException
                || cause instanceof InterruptedException
                || cause instanceof VirtualMachineError;
    }
}
