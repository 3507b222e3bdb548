package io.rollstream.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerCommandsTest {

    @Test
    void shouldDescribeTheCollectorAndTheGeneratorsFaultOptions() {
        assertThat(help("collect")).contains("Usage: rollstream collect").contains("--http-port")
                .contains("--max-body-bytes").contains("--max-batch-events").contains("--delivery-timeout");
        assertThat(help("bench", "collector")).contains("Usage: rollstream bench collector").contains("--connections")
                .contains("ratio_vs_producer");
        assertThat(help("generate")).contains("--duration").contains("--out-of-order-pct").contains("--late-pct")
                .contains("--duplicate-pct").contains("--malformed-pct");
    }

    @Test
    void shouldReadDurationsAsPeopleWriteThem() {
        final DurationConverter converter = new DurationConverter();
        assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(converter.convert("31d")).isEqualTo(Duration.ofDays(31));
        assertThat(converter.convert("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void shouldRefuseAPercentageOutsideZeroToHundredBeforeConnectingAnywhere() {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = RollstreamCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));
        final int exit = commandLine.execute("generate", "--bootstrap-servers", "127.0.0.1:1", "--registry-url",
                "http://127.0.0.1:1", "--duplicate-pct", "150");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("duplicate percentage must be between 0 and 100, got 150");
    }

    private static String help(final String... command) {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = RollstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        final String[] arguments = Arrays.copyOf(command, command.length + 1);
        arguments[command.length] = "--help";
        assertThat(commandLine.execute(arguments)).isZero();
        return out.toString();
    }
}
