package io.rollstream.devstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Stops a process together with its descendants, politely first. */
final class ProcessTree {

    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private ProcessTree() {
    }

    /** SIGTERM to the whole tree; SIGKILL to what is still alive after {@code grace}. */
    static void stop(final ProcessHandle root, final String name, final Duration grace) {
        final List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
        tree.forEach(ProcessHandle::destroy);
        if (awaitExit(tree, grace)) {
            return;
        }
        log.warn("{} (pid {}) did not stop within {} s of SIGTERM; killing it", name, root.pid(), grace.toSeconds());
        tree.forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(tree, KILL_WAIT)) {
            log.error("{} (pid {}) is still running after SIGKILL; stop it by hand", name, root.pid());
        }
    }

    private static boolean awaitExit(final List<ProcessHandle> processes, final Duration timeout) {
        try {
            CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Waiting for process " + processes + " to exit failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return processes.stream().noneMatch(ProcessHandle::isAlive);
        }
    }
}
