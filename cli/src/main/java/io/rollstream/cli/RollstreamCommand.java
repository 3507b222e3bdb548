package io.rollstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rollstream} command: one entry point, a subcommand per job. */
@Command(name = "rollstream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Streaming feature pipeline: clickstream events in, rolling per-user features out.",
        subcommands = {DevCommand.class, ServeCommand.class, GenerateCommand.class, CollectCommand.class, ReplayCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class RollstreamCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new RollstreamCommand())
                .setExecutionExceptionHandler(new UserErrorHandler());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
