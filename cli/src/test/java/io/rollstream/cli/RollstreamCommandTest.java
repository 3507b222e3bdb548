package io.rollstream.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class RollstreamCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "serve", "generate"})
    void shouldPrintHelpForEverySubcommand(final String subcommand) {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = RollstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        final int exit = commandLine.execute(subcommand, "--help");
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Usage: rollstream " + subcommand).contains("--help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "help"})
    void shouldListTheSubcommandsAtTheTop(final String help) {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = RollstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute(help)).isZero();
        assertThat(out.toString()).contains("dev").contains("serve").contains("generate");
    }

    @org.junit.jupiter.api.Test
    void shouldExplainAMissingRequiredOptionWithoutAStackTrace() {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = RollstreamCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));
        assertThat(commandLine.execute("generate")).isNotZero();
        assertThat(err.toString()).contains("--bootstrap-servers").doesNotContain("Exception");
    }
}
