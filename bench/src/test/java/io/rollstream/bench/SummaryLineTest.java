package io.rollstream.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SummaryLineTest {

    @Test
    void shouldJoinPairsInTheOrderTheyWereAdded() {
        final String line = new SummaryLine().put("events", 2_000_000).put("count_eps", 186_683.4, 0)
                .put("ratio_vs_count", 0.2349, 2).put("dsl_eps", "skipped").toString();

        assertThat(line).isEqualTo("events=2000000 count_eps=186683 ratio_vs_count=0.23 dsl_eps=skipped");
    }

    @Test
    void shouldRefuseValuesThatWouldBreakTheLineIntoMorePairs() {
        assertThatThrownBy(() -> new SummaryLine().put("note", "two words")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SummaryLine().put("a=b", "c")).isInstanceOf(IllegalArgumentException.class);
    }
}
