package io.rollstream.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for the registry's {@code quarkus-run.jar} in startup failure tests: logs 40 lines and
 * exits, optionally complaining that its port is taken. Uses nothing but the JDK, so it runs from a
 * jar that holds this class alone.
 */
final class FakeRegistry {

    /** A file in the working directory: "crash" or "port-taken". */
    static final String BEHAVIOUR_FILE = "fake-registry-behaviour";

    private FakeRegistry() {
    }

    public static void main(final String[] args) throws IOException {
        final String behaviour = Files.readString(Path.of(BEHAVIOUR_FILE)).strip();
        for (int line = 1; line <= 40; line++) {
            System.out.println("fake log line " + line);
        }
        if (behaviour.equals("port-taken")) {
            System.out.println("Port(s) already bound: " + System.getProperty("quarkus.http.port") + ": Address already in use");
        }
        System.exit(1);
    }
}
