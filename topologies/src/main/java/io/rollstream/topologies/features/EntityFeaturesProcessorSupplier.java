package io.rollstream.topologies.features;

import io.rollstream.engine.EntityDefinition;
import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.topologies.ingest.ValidEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.Optional;

/**
 * Folds each admitted event into the tiles of its entity (the user, the item, the user in the
 * event's category, ...) in that entity's state store. Events without the entity's key fields, or
 * of a type none of its features looks at, do not concern it and are skipped before its state is
 * even loaded. With an idle expiry, entities that go without events for that long are removed
 * ({@link IdleEntityExpiry}).
 */
public final class EntityFeaturesProcessorSupplier implements ProcessorSupplier<Object, ValidEvent, Void, Void> {

    private final FeatureEngine engine;
    private final String storeName;
    private final Optional<Duration> idleExpiry;

    /** @param idleExpiry how long an entity may go without events before it is removed; empty: kept forever */
    public EntityFeaturesProcessorSupplier(final FeatureEngine engine, final String storeName,
                                           final Optional<Duration> idleExpiry) {
        this.engine = engine;
        this.storeName = storeName;
        this.idleExpiry = idleExpiry;
    }

    @Override
    public Processor<Object, ValidEvent, Void, Void> get() {
        return new EntityFeaturesProcessor();
    }

    private final class EntityFeaturesProcessor implements Processor<Object, ValidEvent, Void, Void> {

        private final EntityDefinition entity = engine.featureSet().entityDefinition();
        private KeyValueStore<String, EntityState> store;
        private ProcessorContext<Void, Void> context;
        /** Null when entities never expire. */
        private IdleEntityExpiry expiry;

        @Override
        public void init(final ProcessorContext<Void, Void> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
            this.expiry = idleExpiry.map(idle -> IdleEntityExpiry.start(context, storeName, idle,
                    engine.featureSet().entity() + "-features")).orElse(null);
        }

        @Override
        public void process(final Record<Object, ValidEvent> record) {
            final String key = entity.keyOf(record.value().event());
            if (key == null || !engine.featureSet().looksAt(record.value().event())) {
                return;
            }
            EntityState state = store.get(key);
            // Idle, but not swept yet: it starts over as it would have after the sweep.
            if (state != null && expiry != null && expiry.expiresOnEvent(state, context.currentStreamTimeMs())) {
                state = null;
            }
            if (state == null) {
                state = engine.newState();
                if (expiry != null) {
                    expiry.created();
                }
            }
            engine.fold(state, record.value().event());
            store.put(key, state);
        }
    }
}
