package io.rollstream.featurestore.routing;

import io.rollstream.engine.EntityState;
import io.rollstream.engine.FeatureEngine;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** {@link LocalReplicas} held in maps: who owns which key, this instance's lags and states. */
public final class InMemoryReplicas implements LocalReplicas {

    public static final int PARTITION = 2;

    public final Map<String, KeyQueryMetadata> owners = new ConcurrentHashMap<>();
    public final Map<Integer, Long> lags = new ConcurrentHashMap<>();
    public final Map<String, EntityState> states = new ConcurrentHashMap<>();
    public final AtomicInteger locates = new AtomicInteger();
    public volatile boolean activeQueryable = true;
    /** Called with the key on every read, on the reading thread. */
    public volatile Consumer<String> onRead = key -> { };

    public static KeyQueryMetadata owners(final HostInfo active, final HostInfo... standbys) {
        return new KeyQueryMetadata(active, Set.of(standbys), PARTITION);
    }

    /** Gives {@code id} a state of {@code clicks} clicks at {@code eventTime}. */
    public void putClicks(final FeatureEngine engine, final String id, final int clicks, final long eventTime) {
        final EntityState state = engine.newState();
        for (int i = 0; i < clicks; i++) {
            engine.fold(state, ClickEvent.newBuilder().setEventId(id + "-" + i).setEventType(EventType.CLICK)
                    .setUserId(id).setEventTime(Instant.ofEpochMilli(eventTime)).build());
        }
        states.put(id, state);
    }

    @Override
    public KeyQueryMetadata locate(final String storeName, final String key) {
        locates.incrementAndGet();
        return owners.getOrDefault(key, KeyQueryMetadata.NOT_AVAILABLE);
    }

    @Override
    public OptionalLong readableLag(final String storeName, final int partition) {
        final Long lag = lags.get(partition);
        return lag == null ? OptionalLong.empty() : OptionalLong.of(lag);
    }

    @Override
    public EntityState read(final String storeName, final int partition, final String key, final boolean stale) {
        if (!stale && !activeQueryable) {
            throw new InvalidStateStoreException("the store is restoring");
        }
        onRead.accept(key);
        return states.get(key);
    }
}
