package io.rollstream.featurestore.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedResult;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldSendTheIdsAndOnlyASelectionThatIsNotEveryFeature() throws Exception {
        assertThat(JSON.readTree(PeerClient.body(List.of("u1", "u\"2"), new FeatureSelection(List.of("a", "b"), false))))
                .isEqualTo(JSON.readTree("{\"ids\":[\"u1\",\"u\\\"2\"],\"features\":[\"a\",\"b\"]}"));
        assertThat(JSON.readTree(PeerClient.body(List.of("u1"), new FeatureSelection(List.of("a"), true))))
                .isEqualTo(JSON.readTree("{\"ids\":[\"u1\"]}"));
    }

    @Test
    void shouldAcceptResultsForExactlyTheIdsAskedInOrder() throws Exception {
        final List<ServedResult.Relayed> results = PeerClient.results(bytes(
                "{\"entity\":\"user\",\"results\":[{\"id\":\"u1\",\"found\":true},{\"id\":\"u2\",\"found\":false}]}"),
                List.of("u1", "u2"));

        assertThat(results).extracting(ServedResult.Relayed::id).containsExactly("u1", "u2");
        assertThat(results.get(0).json().path("found").asBoolean()).isTrue();
    }

    @Test
    void shouldTreatResultsForOtherIdsOrAnotherCountAsNoAnswer() {
        assertThatThrownBy(() -> PeerClient.results(bytes("{\"results\":[{\"id\":\"u2\"},{\"id\":\"u1\"}]}"),
                List.of("u1", "u2"))).isInstanceOf(PeerException.class).hasMessageContaining("instead of 'u1'");
        assertThatThrownBy(() -> PeerClient.results(bytes("{\"results\":[{\"id\":\"u1\"}]}"), List.of("u1", "u2")))
                .isInstanceOf(PeerException.class).hasMessageContaining("1 results for 2 ids");
        assertThatThrownBy(() -> PeerClient.results(bytes("<html>"), List.of("u1")))
                .isInstanceOfSatisfying(PeerException.class, e -> assertThat(e.unreachable()).isFalse());
    }

    @Test
    void shouldReportAHostThatRefusesConnectionsAsUnreachable() throws Exception {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (PeerClient client = new PeerClient(Duration.ofMillis(500))) {
            assertThatThrownBy(() -> client.read(new HostInfo("127.0.0.1", port), "user", List.of("u1"),
                    new FeatureSelection(List.of("a"), true), 0, Duration.ofMillis(500)))
                    .isInstanceOfSatisfying(PeerException.class, e -> assertThat(e.unreachable()).isTrue())
                    .hasMessageStartingWith("is unreachable");
        }
    }

    private static byte[] bytes(final String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
