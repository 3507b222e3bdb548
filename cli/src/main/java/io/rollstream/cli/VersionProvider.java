package io.rollstream.cli;

import picocli.CommandLine;

/** Version from the jar manifest, so it is declared once, in the pom. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        final String version = RollstreamCommand.class.getPackage().getImplementationVersion();
        return new String[] {"rollstream " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
    }
}
