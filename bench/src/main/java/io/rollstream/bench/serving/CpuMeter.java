package io.rollstream.bench.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine's CPU went to processes that are not this benchmark's while a phase ran
 * (this JVM, its registry child, the load tools and redis-server are all the benchmark's). A
 * latency figure from a 2-core machine where a build ran beside it means little, so every phase
 * reports this. Linux only; NaN elsewhere.
 */
final class CpuMeter {

    /** Jiffies: the machine busy, the machine in total, and this process tree. */
    record Snapshot(long busy, long total, long ours) {
        static final Snapshot UNKNOWN = new Snapshot(-1, -1, -1);
    }

    private CpuMeter() {
    }

    static Snapshot now() {
        try {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
            final String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            final long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            // This process with the children it has reaped (cutime, cstime), plus the live descendants.
            long ours = jiffies(ProcessHandle.current().pid(), true);
            for (final ProcessHandle child : (Iterable<ProcessHandle>) ProcessHandle.current().descendants()::iterator) {
                ours += jiffies(child.pid(), true);
            }
            return new Snapshot(total - idle, total, ours);
        } catch (final IOException | RuntimeException e) {
            return Snapshot.UNKNOWN;
        }
    }

    /** CPU time one process used so far (user and system, its threads only), in jiffies; -1 if unknown. */
    static long processJiffies(final long pid) {
        final long jiffies = jiffies(pid, false);
        return jiffies == 0 ? -1 : jiffies;
    }

    /** Jiffies per second (USER_HZ): 100 on Linux everywhere that matters. */
    static final double JIFFIES_PER_SECOND = 100.0;

    private static long jiffies(final long pid, final boolean withReapedChildren) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may hold spaces; utime, stime, cutime, cstime are fields 14-17.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long jiffies = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withReapedChildren) {
                jiffies += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return jiffies;
        } catch (final IOException | RuntimeException e) {
            return 0; // gone meanwhile
        }
    }

    /** Percent of the machine's CPU (all cores) others used between the snapshots; NaN if unknown. */
    static double othersPercent(final Snapshot from, final Snapshot to) {
        if (from.total() < 0 || to.total() <= from.total()) {
            return Double.NaN;
        }
        final long others = (to.busy() - from.busy()) - (to.ours() - from.ours());
        return Math.max(0, 100.0 * others / (to.total() - from.total()));
    }

    /** Percent of the machine's CPU (all cores) this benchmark's processes used between the snapshots. */
    static double oursPercent(final Snapshot from, final Snapshot to) {
        if (from.total() < 0 || to.total() <= from.total()) {
            return Double.NaN;
        }
        return Math.max(0, 100.0 * (to.ours() - from.ours()) / (to.total() - from.total()));
    }
}
