package io.rollstream.bench;

/**
 * One variant's timed run: {@code events} input records committed as processed, {@code seconds}
 * from the first record consumed to the commit that covered the last of them.
 *
 * @param inputEvents    the size of the whole input, to say how much of it a bounded run covered
 * @param othersCpuShare share of the machine's CPU other processes took meanwhile (0..1, NaN if
 *                       unknown): a run beside a busy build is not a measurement of Rollstream
 * @param cpuSeconds     CPU time this whole process (application, broker, GC, RocksDB) used
 *                       meanwhile, NaN if unknown
 */
public record Measurement(Variant variant, String guarantee, long events, double seconds, long inputEvents,
                          double othersCpuShare, double cpuSeconds) {

    public double eventsPerSecond() {
        return events / seconds;
    }

    /** Events per CPU-second of this process: the cost of an event, whatever else the machine was doing. */
    public double eventsPerCpuSecond() {
        return events / cpuSeconds;
    }

    public boolean coveredWholeInput() {
        return events >= inputEvents;
    }

    /** How long the whole input would take at this run's rate. */
    public double secondsForWholeInput() {
        return inputEvents / eventsPerSecond();
    }
}
