package io.rollstream.schemas.serde;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Schema ids a deserializer has already refused, with why: so that a stream of records naming ids
 * the registry does not know, or writer schemas this reader cannot read, costs one registry call an
 * id rather than one a record — a flood of them would otherwise pace the pipeline at the registry's
 * round trip, or overload it. Bounded ({@value #MAX_IDS} ids, the least recently seen forgotten
 * first). An id the registry did not know is asked again after {@value #UNKNOWN_FOR_MS} ms, as it
 * may be registered since; a writer schema found incompatible never changes (an id names one
 * schema for good), so that verdict holds as long as it is kept.
 */
final class RefusedSchemaIds {

    static final int MAX_IDS = 1024;
    static final long UNKNOWN_FOR_MS = 30_000;

    /** Why an id was refused, and until when that holds (Long.MAX_VALUE: for good). */
    private record Refusal(RuntimeException why, long untilMs) {
    }

    private final Map<Integer, Refusal> refused = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Integer, Refusal> eldest) {
            return size() > MAX_IDS;
        }
    };

    /** The refusal of {@code id} still in force, or null. */
    synchronized RuntimeException refusal(final int id, final long nowMs) {
        final Refusal refusal = refused.get(id);
        if (refusal == null) {
            return null;
        }
        if (nowMs >= refusal.untilMs()) {
            refused.remove(id);
            return null;
        }
        return refusal.why();
    }

    synchronized void unknown(final int id, final RuntimeException why, final long nowMs) {
        refused.put(id, new Refusal(why, nowMs + UNKNOWN_FOR_MS));
    }

    synchronized void incompatible(final int id, final RuntimeException why) {
        refused.put(id, new Refusal(why, Long.MAX_VALUE));
    }
}
