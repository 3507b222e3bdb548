package io.rollstream.client;

import java.util.Objects;

/** One entry of a top-k feature: a value and how often it occurred in the window. */
public record ItemCount(String value, long count) {

    public ItemCount {
        Objects.requireNonNull(value, "value");
    }
}
