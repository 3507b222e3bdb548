package io.rollstream.topologies.features;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntityStoreKeysTest {

    @Test
    void shouldReadBackEntityLayoutAndTileStart() {
        for (final String entity : List.of("user-1", "", "a\u0000b", "ü|x\\|y", "\u0000")) {
            assertThat(EntityStoreKeys.parse(EntityStoreKeys.head(entity).get()))
                    .isEqualTo(new EntityStoreKeys.Parsed(entity, -1, 0));
            for (final long start : new long[]{0, -300_000, 1_793_491_203_000L, Long.MIN_VALUE, Long.MAX_VALUE}) {
                assertThat(EntityStoreKeys.parse(EntityStoreKeys.tile(entity, 3, start).get()))
                        .isEqualTo(new EntityStoreKeys.Parsed(entity, 3, start));
            }
        }
    }

    @Test
    void shouldSortHeadThenTilesByLayoutAndStartAndKeepEveryRecordOfAnEntityInsideItsRange() {
        final List<Bytes> keys = new ArrayList<>(List.of(
                EntityStoreKeys.tile("a", 1, 5), EntityStoreKeys.tile("a", 0, 100), EntityStoreKeys.tile("a", 0, -100),
                EntityStoreKeys.head("a")));
        final List<Bytes> sorted = new ArrayList<>(keys);
        sorted.sort(Bytes::compareTo);
        assertThat(sorted).containsExactly(EntityStoreKeys.head("a"), EntityStoreKeys.tile("a", 0, -100),
                EntityStoreKeys.tile("a", 0, 100), EntityStoreKeys.tile("a", 1, 5));
        for (final Bytes key : keys) {
            assertThat(key.compareTo(EntityStoreKeys.first("a"))).isGreaterThanOrEqualTo(0);
            assertThat(key.compareTo(EntityStoreKeys.last("a"))).isLessThan(0);
        }
    }

    @Test
    void shouldKeepOtherEntitiesOutOfAnEntitysRangeEvenWhenTheirKeysExtendIt() {
        for (final String other : List.of("ab", "a\u0000", "a\u0001", "a\u0000\u0001", "b", "")) {
            for (final Bytes key : List.of(EntityStoreKeys.head(other), EntityStoreKeys.tile(other, 253, Long.MAX_VALUE),
                    EntityStoreKeys.tile(other, 0, Long.MIN_VALUE))) {
                final boolean inside = key.compareTo(EntityStoreKeys.first("a")) >= 0
                        && key.compareTo(EntityStoreKeys.last("a")) <= 0;
                assertThat(inside).as("a record of '%s' inside the range of 'a'", other).isFalse();
            }
        }
    }

    @Test
    void shouldSortEntitiesAsTheirUtf8Bytes() {
        final List<String> entities = List.of("", "\u0000", "a", "a\u0000", "a\u0000\u0000", "a\u0001", "ab", "b", "é");
        for (int i = 1; i < entities.size(); i++) {
            assertThat(EntityStoreKeys.tile(entities.get(i - 1), 253, Long.MAX_VALUE)
                    .compareTo(EntityStoreKeys.head(entities.get(i))))
                    .as("'%s' before '%s'", entities.get(i - 1), entities.get(i)).isNegative();
        }
    }

    @Test
    void shouldRefuseKeysItDidNotWrite() {
        assertThatThrownBy(() -> EntityStoreKeys.parse("user-1".getBytes()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("written by something else");
        assertThatThrownBy(() -> EntityStoreKeys.tile("u", 254, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
