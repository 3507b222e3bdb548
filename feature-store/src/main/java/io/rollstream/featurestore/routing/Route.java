package io.rollstream.featurestore.routing;

import org.apache.kafka.streams.state.HostInfo;

import java.util.Objects;

/**
 * One place a key's features can be read from.
 *
 * @param kind where, and whether the answer is fresh
 * @param host the instance that reads the store (this one for the local kinds)
 */
public record Route(Kind kind, HostInfo host) {

    public enum Kind {
        /** This instance's active copy, queried as running: a fresh answer or none. */
        LOCAL_ACTIVE,
        /** This instance's standby, or its active while restoring, within the lag bound: a stale answer. */
        LOCAL_STANDBY,
        /** Forwarded to the active owner. */
        REMOTE_ACTIVE,
        /** Forwarded to a standby, which answers only if it is within the lag bound. */
        REMOTE_STANDBY;

        public boolean isLocal() {
            return this == LOCAL_ACTIVE || this == LOCAL_STANDBY;
        }
    }

    public Route {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
    }

    @Override
    public String toString() {
        return kind + "@" + host.host() + ":" + host.port();
    }
}
