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

/**
 * Folds each admitted event into the tiles of its entity (the user, the item, the user in the
 * event's category, ...) in that entity's state store. Events without the entity's key fields, or
 * of a type none of its features looks at, do not concern it and are skipped before its state is
 * even loaded.
 */
public final class EntityFeaturesProcessorSupplier implements ProcessorSupplier<Object, ValidEvent, Void, Void> {

    private final FeatureEngine engine;
    private final String storeName;

    public EntityFeaturesProcessorSupplier(final FeatureEngine engine, final String storeName) {
        this.engine = engine;
        this.storeName = storeName;
    }

    @Override
    public Processor<Object, ValidEvent, Void, Void> get() {
        return new EntityFeaturesProcessor();
    }

    private final class EntityFeaturesProcessor implements Processor<Object, ValidEvent, Void, Void> {

        private final EntityDefinition entity = engine.featureSet().entityDefinition();
        private KeyValueStore<String, EntityState> store;

        @Override
        public void init(final ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(storeName);
        }

        @Override
        public void process(final Record<Object, ValidEvent> record) {
            final String key = entity.keyOf(record.value().event());
            if (key == null || !engine.featureSet().looksAt(record.value().event())) {
                return;
            }
            EntityState state = store.get(key);
            if (state == null) {
                state = engine.newState();
            }
            engine.fold(state, record.value().event());
            store.put(key, state);
        }
    }
}
