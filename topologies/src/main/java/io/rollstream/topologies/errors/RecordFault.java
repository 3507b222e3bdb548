package io.rollstream.topologies.errors;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.topologies.ingest.ValidEvent;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * A seam for tests: told of every event an entity processor is about to take, it may throw, and
 * processing of that record then fails exactly as it would if the entity's own code threw on it —
 * which is how a test proves that one bad record is dead-lettered and its partition goes on
 * ({@link DeadLetterProcessingExceptionHandler}), on a real broker as well as in a test driver.
 * Production runs {@link #NONE}, which leaves the processors as they are.
 */
@FunctionalInterface
public interface RecordFault {

    RecordFault NONE = (entity, event) -> {
    };

    /**
     * Called before the processor of {@code entity} takes {@code event} (and folds it, if its
     * features look at it); the state is untouched when this throws.
     */
    void beforeFold(String entity, ClickEvent event);

    /** The processor of {@code entity}, made to call this fault first; itself when this is {@link #NONE}. */
    default <K> ProcessorSupplier<K, ValidEvent, Void, Void> around(final String entity,
                                                                    final ProcessorSupplier<K, ValidEvent, Void, Void> processor) {
        return this == NONE ? processor : new RecordFaultProcessorSupplier<>(this, entity, processor);
    }
}
