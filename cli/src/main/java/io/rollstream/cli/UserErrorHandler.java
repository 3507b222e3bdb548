package io.rollstream.cli;

import picocli.CommandLine;

/**
 * Prints what went wrong as one readable line instead of a stack trace when a command fails on
 * something the user can fix (bad config, unreachable cluster, busy port). The stack trace is
 * still there with {@code --verbose}-style logging (logger io.rollstream at DEBUG).
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(final Exception error, final CommandLine commandLine,
                                        final CommandLine.ParseResult parseResult) {
        final StringBuilder message = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append("\n  caused by: ").append(cause.getMessage());
            }
        }
        commandLine.getErr().println(commandLine.getColorScheme().errorText("rollstream " + commandLine.getCommandName()
                + ": " + message));
        org.slf4j.LoggerFactory.getLogger(UserErrorHandler.class).debug("Command failed", error);
        return 1;
    }
}
