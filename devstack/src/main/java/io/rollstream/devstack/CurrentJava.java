package io.rollstream.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** The java binary of the running JVM, to launch child JVMs with the same (known good) runtime. */
final class CurrentJava {

    private CurrentJava() {
    }

    static void requireFeatureVersion(final int minimum, final String needer) {
        final int running = Runtime.version().feature();
        if (running < minimum) {
            throw new IllegalStateException(needer + " needs Java " + minimum + " or newer, but this JVM ("
                    + System.getProperty("java.home") + ") is Java " + running
                    + ". Run with a JDK " + minimum + "+ (set JAVA_HOME or put it first on the PATH).");
        }
    }

    /**
     * The binary this JVM was started from. Only trusted when it is named {@code java}: a native
     * launcher (jpackage, a shell wrapper) would appear here too, and it is not a JVM to pass
     * {@code -jar} to.
     */
    static Path binary() {
        final String name = isWindows() ? "java.exe" : "java";
        return ProcessHandle.current().info().command()
                .map(Path::of)
                .filter(command -> command.getFileName().toString().equals(name) && Files.isExecutable(command))
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", name));
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
