package io.rollstream.topologies.errors;

import io.rollstream.topologies.ingest.ValidEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Set;

/** An entity processor that asks a {@link RecordFault} before each event; see {@link RecordFault#around}. */
final class RecordFaultProcessorSupplier<K> implements ProcessorSupplier<K, ValidEvent, Void, Void> {

    private final RecordFault fault;
    private final String entity;
    private final ProcessorSupplier<K, ValidEvent, Void, Void> processor;

    RecordFaultProcessorSupplier(final RecordFault fault, final String entity,
                                 final ProcessorSupplier<K, ValidEvent, Void, Void> processor) {
        this.fault = fault;
        this.entity = entity;
        this.processor = processor;
    }

    @Override
    public Processor<K, ValidEvent, Void, Void> get() {
        final Processor<K, ValidEvent, Void, Void> inner = processor.get();
        return new Processor<>() {
            @Override
            public void init(final ProcessorContext<Void, Void> context) {
                inner.init(context);
            }

            @Override
            public void process(final Record<K, ValidEvent> record) {
                fault.beforeFold(entity, record.value().event());
                inner.process(record);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return processor.stores();
    }
}
