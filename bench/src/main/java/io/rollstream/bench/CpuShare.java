package io.rollstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine's CPU other processes (and the hypervisor, as steal time) took while a
 * variant ran, and how much this process used. Throughput on a shared 2-core machine means little
 * if a build was running beside it, so each measurement carries both. Linux only; elsewhere they
 * are unknown (NaN).
 */
final class CpuShare {

    private static final Path MACHINE = Path.of("/proc/stat");
    private static final Path SELF = Path.of("/proc/self/stat");
    /** Jiffies per second in /proc: USER_HZ, 100 on every Linux architecture in use. */
    private static final double USER_HZ = 100;

    /** Jiffies the machine was busy and in total, and jiffies this process used, at one moment. */
    record Snapshot(long machineBusy, long machineTotal, long self) {
        static final Snapshot UNKNOWN = new Snapshot(-1, -1, -1);

        boolean known() {
            return machineTotal >= 0;
        }
    }

    private CpuShare() {
    }

    static Snapshot now() {
        if (!Files.isReadable(MACHINE) || !Files.isReadable(SELF)) {
            return Snapshot.UNKNOWN;
        }
        try {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
            final String[] cpu = Files.readAllLines(MACHINE).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            final long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            // The command name in parentheses may hold spaces; utime and stime are fields 14 and 15.
            final String self = Files.readString(SELF);
            final String[] fields = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            final long selfJiffies = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return new Snapshot(total - idle, total, selfJiffies);
        } catch (final IOException | RuntimeException e) {
            return Snapshot.UNKNOWN;
        }
    }

    /**
     * CPU seconds this process used between the snapshots (all its threads: stream threads, the
     * in-process broker, GC, RocksDB), NaN if unknown. Unlike a rate, barely moved by other
     * processes taking CPUs away: the measure of cost to compare on a shared machine.
     */
    static double selfSecondsBetween(final Snapshot from, final Snapshot to) {
        if (!from.known() || !to.known()) {
            return Double.NaN;
        }
        return (to.self() - from.self()) / USER_HZ;
    }

    /** Share of all the machine's CPU time between the snapshots that went to other processes, 0..1. */
    static double othersBetween(final Snapshot from, final Snapshot to) {
        if (!from.known() || !to.known() || to.machineTotal() <= from.machineTotal()) {
            return Double.NaN;
        }
        final long others = (to.machineBusy() - from.machineBusy()) - (to.self() - from.self());
        return Math.max(0, (double) others / (to.machineTotal() - from.machineTotal()));
    }
}
