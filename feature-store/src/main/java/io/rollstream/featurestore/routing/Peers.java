package io.rollstream.featurestore.routing;

import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedResult;
import org.apache.kafka.streams.state.HostInfo;

import java.time.Duration;
import java.util.List;

/** The other instances of the application, asked to read keys they hold. */
public interface Peers {

    /**
     * Forwards a read to another instance, which answers from its own stores or not at all.
     *
     * @return one result per id, in the order of {@code ids}
     * @throws PeerException when it could not be reached in time or did not answer every id
     */
    List<ServedResult.Relayed> read(HostInfo host, String entity, List<String> ids, FeatureSelection selection,
                                    long asOf, Duration timeout) throws PeerException;
}
