package io.rollstream.engine.aggregation;

import java.util.List;

/** Lists in messages the way people write them: "a, b or c". */
final class Listing {

    private Listing() {
    }

    static String of(final List<String> items, final String conjunction) {
        final int last = items.size() - 1;
        return last == 0 ? items.getFirst()
                : String.join(", ", items.subList(0, last)) + " " + conjunction + " " + items.get(last);
    }
}
