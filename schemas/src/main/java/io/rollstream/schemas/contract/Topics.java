package io.rollstream.schemas.contract;

/** The topic names of the Rollstream contract (see the README's "Topics" section). */
public final class Topics {

    /** Clickstream events: key = user id, value = Avro ClickEvent in the Confluent wire format. */
    public static final String EVENTS = "clickstream.events";

    /** Records the pipeline could not use, with their original bytes and headers saying why. */
    public static final String DEAD_LETTERS = "clickstream.events.dlq";

    /**
     * Events that arrived on a partition other than the one their user id hashes to (a producer
     * with another partitioner, or keyed by something else), moved to their owner partition. Same
     * partition count as {@link #EVENTS}; holds the original bytes.
     */
    public static final String REKEYED = "clickstream.events.rekeyed";

    private static final String PARTITIONED_BY_PREFIX = EVENTS + ".by-";

    /**
     * Admitted events moved to the partition of another key field (item_id for item features),
     * keyed by that field's value; original bytes. Same partition count as {@link #EVENTS}.
     */
    public static String partitionedBy(final String field) {
        return PARTITIONED_BY_PREFIX + field.replace('_', '-');
    }

    private Topics() {
    }
}
