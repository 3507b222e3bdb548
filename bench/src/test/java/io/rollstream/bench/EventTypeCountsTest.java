package io.rollstream.bench;

import io.rollstream.schemas.EventType;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTypeCountsTest {

    private final Serde<EventTypeCounts> serde = EventTypeCounts.serde();

    @Test
    void shouldReadBackEveryTypesCount() {
        final EventTypeCounts counts = new EventTypeCounts().add(EventType.PURCHASE).add(EventType.PURCHASE).add(EventType.SEARCH);

        final EventTypeCounts read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", counts));

        assertThat(read.count(EventType.PURCHASE)).isEqualTo(2);
        assertThat(read.count(EventType.SEARCH)).isEqualTo(1);
        assertThat(read.count(EventType.PAGE_VIEW)).isZero();
    }

    @Test
    void shouldRefuseBytesOfAnotherLength() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[3]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("state directory");
    }
}
