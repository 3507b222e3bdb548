package io.rollstream.bench;

import java.io.PrintStream;

/** Progress lines while the benchmark runs (it takes minutes), stamped with the time since it began. */
final class Progress {

    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    Progress(final PrintStream out) {
        this.out = out;
    }

    void say(final String format, final Object... args) {
        out.printf("[%6.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
        out.flush();
    }
}
