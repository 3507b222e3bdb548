package io.rollstream.generator;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic model of shoppers: Zipf-popular users and items, sessions that walk a funnel
 * (page view → product views → cart → purchase at plausible rates), searches, categories and
 * prices. The same seed gives the same events, in the same order.
 */
public final class ClickstreamModel {

    private static final List<String> CATEGORIES = List.of("electronics", "books", "fashion", "home", "garden",
            "toys", "sports", "beauty", "grocery", "automotive", "music", "health");
    private static final List<String> DEVICES = List.of("ios", "android", "web-desktop", "web-mobile");
    private static final List<String> COUNTRIES = List.of("US", "DE", "FR", "GB", "IN", "BR", "JP", "CA", "ES", "NL");
    private static final List<String> QUERY_WORDS = List.of("red", "shoes", "wireless", "headphones", "garden",
            "chair", "lego", "running", "book", "coffee", "mug", "lamp", "jacket", "phone", "case", "gift");
    private static final Duration SESSION_GAP = Duration.ofMinutes(30);

    /** Where a user's current session stands in the funnel. */
    private enum Step { ENTRY, BROWSING, CARTED }

    private static final class Session {
        final String id;
        Step step = Step.ENTRY;
        String lastItem;
        Instant lastEventTime;

        Session(final String id) {
            this.id = id;
        }
    }

    private final SplittableRandom random;
    private final ZipfSampler users;
    private final ZipfSampler items;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private long sequence;

    public ClickstreamModel(final long seed, final int userCount, final int itemCount) {
        this.random = new SplittableRandom(seed);
        this.users = new ZipfSampler(userCount, 1.1);
        this.items = new ZipfSampler(itemCount, 1.0);
    }

    /** The id of the user at popularity rank {@code rank} (1 = the most active). */
    public static String userId(final int rank) {
        return String.format("user-%06d", rank);
    }

    public static String itemId(final int rank) {
        return String.format("item-%06d", rank);
    }

    /** The next event, with event time {@code now}. */
    public ClickEvent next(final Instant now) {
        final int userRank = users.sample(random);
        Session session = sessions.get(userRank);
        if (session == null || Duration.between(session.lastEventTime, now).compareTo(SESSION_GAP) > 0) {
            session = new Session("s-" + Long.toHexString(random.nextLong()));
            sessions.put(userRank, session);
        }
        session.lastEventTime = now;
        final EventType type = nextType(session);
        final ClickEvent.Builder event = ClickEvent.newBuilder()
                .setEventId("evt-" + Long.toHexString(random.nextLong()) + "-" + (sequence++))
                .setEventType(type)
                .setUserId(userId(userRank))
                .setSessionId(session.id)
                .setEventTime(now)
                .setDevice(pick(DEVICES))
                .setCountry(pick(COUNTRIES))
                .setProperties(Map.of());
        switch (type) {
            case PAGE_VIEW -> event.setPageUrl("https://shop.example/" + pick(CATEGORIES));
            case SEARCH -> event.setSearchQuery(pick(QUERY_WORDS) + " " + pick(QUERY_WORDS));
            case PRODUCT_VIEW, CLICK, ADD_TO_CART, REMOVE_FROM_CART, PURCHASE -> {
                final int itemRank = type == EventType.PRODUCT_VIEW || session.lastItem == null
                        ? items.sample(random) : Integer.parseInt(session.lastItem.substring(5));
                session.lastItem = itemId(itemRank);
                event.setItemId(session.lastItem)
                        .setCategory(CATEGORIES.get(itemRank % CATEGORIES.size()))
                        .setPrice(priceOf(itemRank));
                if (type == EventType.ADD_TO_CART || type == EventType.PURCHASE || type == EventType.REMOVE_FROM_CART) {
                    event.setQuantity(1 + (random.nextInt(10) == 0 ? random.nextInt(3) : 0));
                }
            }
            default -> throw new IllegalStateException("unexpected event type " + type);
        }
        return event.build();
    }

    private EventType nextType(final Session session) {
        final double roll = random.nextDouble();
        return switch (session.step) {
            case ENTRY -> {
                session.step = Step.BROWSING;
                yield roll < 0.25 ? EventType.SEARCH : EventType.PAGE_VIEW;
            }
            case BROWSING -> {
                if (roll < 0.50) {
                    yield EventType.PRODUCT_VIEW;
                } else if (roll < 0.70) {
                    yield EventType.CLICK;
                } else if (roll < 0.82) {
                    yield EventType.PAGE_VIEW;
                } else if (roll < 0.92) {
                    yield EventType.SEARCH;
                } else {
                    session.step = Step.CARTED;
                    yield EventType.ADD_TO_CART;
                }
            }
            case CARTED -> {
                if (roll < 0.30) {
                    session.step = Step.BROWSING;
                    yield EventType.PURCHASE;
                } else if (roll < 0.40) {
                    session.step = Step.BROWSING;
                    yield EventType.REMOVE_FROM_CART;
                } else {
                    yield EventType.PRODUCT_VIEW;
                }
            }
        };
    }

    private double priceOf(final int itemRank) {
        // Stable per item: a log-normal-ish spread from a few dollars to a few hundred.
        final double base = 5 + (itemRank * 7919L % 1000) / 1000.0 * 5;
        return Math.round(base * Math.exp((itemRank * 104729L % 300) / 100.0) * 100) / 100.0;
    }

    private String pick(final List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
