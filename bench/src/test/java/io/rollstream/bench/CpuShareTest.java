package io.rollstream.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuShareTest {

    @Test
    void shouldCountBusyTimeThatWasNotThisProcesssAsOthers() {
        final CpuShare.Snapshot from = new CpuShare.Snapshot(1_000, 10_000, 300);
        // 200 jiffies elapsed on the machine, 150 busy, of which this process used 100.
        final CpuShare.Snapshot to = new CpuShare.Snapshot(1_150, 10_200, 400);

        assertThat(CpuShare.othersBetween(from, to)).isEqualTo(0.25);
    }

    @Test
    void shouldCountThisProcesssJiffiesAsHundredthsOfASecond() {
        final CpuShare.Snapshot from = new CpuShare.Snapshot(1_000, 10_000, 300);
        final CpuShare.Snapshot to = new CpuShare.Snapshot(1_150, 10_200, 450);

        assertThat(CpuShare.selfSecondsBetween(from, to)).isEqualTo(1.5);
    }

    @Test
    void shouldBeUnknownWithoutProcStat() {
        assertThat(CpuShare.othersBetween(CpuShare.Snapshot.UNKNOWN, CpuShare.Snapshot.UNKNOWN)).isNaN();
        assertThat(CpuShare.selfSecondsBetween(CpuShare.Snapshot.UNKNOWN, CpuShare.Snapshot.UNKNOWN)).isNaN();
    }

    @Test
    void shouldReadThisMachineWhereThereIsProc() {
        final CpuShare.Snapshot snapshot = CpuShare.now();
        if (snapshot.known()) {
            assertThat(snapshot.machineBusy()).isPositive().isLessThanOrEqualTo(snapshot.machineTotal());
            assertThat(snapshot.self()).isNotNegative();
        }
    }
}
