package io.rollstream.topologies.oracle;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A clickstream as a list of producer actions, materialized into the records they publish. The
 * actions are what jqwik generates and shrinks; the records are what the topology and the oracle
 * see. Its {@code toString} lists the records with times relative to {@link #ORIGIN}, one per line,
 * so a shrunk counterexample reads like a log.
 */
public final class Scenario {

    /** Where the producer clock starts: a fixed instant, so counterexamples are comparable. */
    public static final long ORIGIN = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    /** One thing a producer does; each first moves the producer clock forward by {@code advanceMs}. */
    public sealed interface Action permits NewEvent, Twin, Resend, Garbage {
        long advanceMs();
    }

    /**
     * A new event, produced now; its event time is {@code offsetMs} from now (negative: it
     * happened earlier and arrives late; positive: the client's clock runs ahead).
     * Indexes pick from small pools (-1 for absent) so that keys and values repeat.
     */
    public record NewEvent(long advanceMs, long offsetMs, EventType type, Ids ids, int user, int item, int category,
                           Double price, Integer quantity, int query, int device, int country) implements Action {
    }

    /** Which ids an event carries: normally both; the rest are validation failures (event_id is not nullable in the schema: "missing" is empty). */
    public enum Ids { OK, NO_EVENT_ID, BLANK_EVENT_ID, NO_USER_ID, BLANK_USER_ID }

    /**
     * Another event of the same user and type at the very millisecond of the last new event, with
     * other values: what the tie rules of first, last, last_k and top_k are for.
     */
    public record Twin(long advanceMs, int item, int category, Double price, int query) implements Action {
    }

    /**
     * A producer retry: an earlier event (number {@code which} modulo the events so far) sent
     * again with the same event id, either with its original record timestamp or produced now;
     * {@code shiftMs} moves its event time (0: the very same event).
     */
    public record Resend(long advanceMs, int which, boolean sameTimestamp, long shiftMs) implements Action {
    }

    /** A record that is not Avro at all. */
    public record Garbage(long advanceMs, int user) implements Action {
    }

    static final String[] USERS = {"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"};
    static final String[] ITEMS = {"i1", "i2", "i3", "i4", "i5", "i6"};
    static final String[] CATEGORIES = {"books", "games", "tools"};
    static final String[] QUERIES = {"red shoes", "lamp", "lego", "mug", ""};
    static final String[] DEVICES = {"ios", "android", "web"};
    static final String[] COUNTRIES = {"DE", "US"};

    private final List<Action> actions;
    private final List<Published> records;

    public Scenario(final List<Action> actions) {
        this.actions = List.copyOf(actions);
        this.records = materialize(this.actions);
    }

    public List<Action> actions() {
        return actions;
    }

    public List<Published> records() {
        return records;
    }

    private static List<Published> materialize(final List<Action> actions) {
        final List<Published> records = new ArrayList<>();
        final List<Published> sentEvents = new ArrayList<>();
        ClickEvent lastNew = null;
        long clock = ORIGIN;
        int sequence = 0;
        for (final Action action : actions) {
            clock += action.advanceMs();
            switch (action) {
                case NewEvent e -> {
                    final ClickEvent event = ClickEvent.newBuilder()
                            .setEventId(switch (e.ids()) {
                                case NO_EVENT_ID -> "";
                                case BLANK_EVENT_ID -> " ";
                                default -> "e" + (++sequence);
                            })
                            .setEventType(e.type())
                            .setUserId(switch (e.ids()) {
                                case NO_USER_ID -> null;
                                case BLANK_USER_ID -> "";
                                default -> USERS[e.user()];
                            })
                            .setEventTime(Instant.ofEpochMilli(clock + e.offsetMs()))
                            .setItemId(pick(ITEMS, e.item()))
                            .setCategory(pick(CATEGORIES, e.category()))
                            .setPrice(e.price())
                            .setQuantity(e.quantity())
                            .setSearchQuery(pick(QUERIES, e.query()))
                            .setDevice(pick(DEVICES, e.device()))
                            .setCountry(pick(COUNTRIES, e.country()))
                            .setProperties(Map.of())
                            .build();
                    final Published record = Published.of(event, clock);
                    records.add(record);
                    if (e.ids() == Ids.OK) {
                        sentEvents.add(record);
                        lastNew = event;
                    }
                }
                case Twin t -> {
                    if (lastNew == null) {
                        continue;
                    }
                    final ClickEvent twin = ClickEvent.newBuilder(lastNew).setEventId("e" + (++sequence))
                            .setItemId(pick(ITEMS, t.item())).setCategory(pick(CATEGORIES, t.category()))
                            .setPrice(t.price()).setSearchQuery(pick(QUERIES, t.query())).build();
                    final Published record = Published.of(twin, clock);
                    records.add(record);
                    sentEvents.add(record);
                }
                case Resend r -> {
                    if (sentEvents.isEmpty()) {
                        continue;
                    }
                    final Published original = sentEvents.get(r.which() % sentEvents.size());
                    ClickEvent event = original.event();
                    if (r.shiftMs() != 0) {
                        event = ClickEvent.newBuilder(event)
                                .setEventTime(Instant.ofEpochMilli(event.getEventTime().toEpochMilli() + r.shiftMs()))
                                .build();
                    }
                    records.add(new Published(original.key(), event, r.sameTimestamp() ? original.timestamp() : clock));
                }
                case Garbage g -> records.add(Published.garbage(USERS[g.user()], clock));
            }
        }
        return List.copyOf(records);
    }

    private static String pick(final String[] pool, final int index) {
        return index < 0 ? null : pool[index];
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("Scenario of ").append(records.size())
                .append(" records (times relative to ").append(Instant.ofEpochMilli(ORIGIN)).append("):");
        for (int i = 0; i < records.size(); i++) {
            text.append("\n  #").append(i).append(' ').append(records.get(i).describe(ORIGIN));
        }
        return text.toString();
    }
}
