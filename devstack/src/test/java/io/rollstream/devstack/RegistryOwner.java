package io.rollstream.devstack;

/** A JVM that starts a registry and then just lives, for tests that terminate or kill it. */
final class RegistryOwner {

    static final String PID_LINE_PREFIX = "registry-pid=";
    static final String LOG_LINE_PREFIX = "registry-log=";

    private RegistryOwner() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final ApicurioRegistry registry = ApicurioRegistry.start();
        System.out.println(LOG_LINE_PREFIX + registry.logFile());
        System.out.println(PID_LINE_PREFIX + registry.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
