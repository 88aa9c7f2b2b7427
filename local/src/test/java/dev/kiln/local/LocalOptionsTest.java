package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalOptionsTest {
  private static final Path ROOT = Path.of("/repo");

  @Test
  void upRunsOnPorts8080And8081WithItsDataUnderDotKiln() {
    LocalOptions options = parse(Map.of(), "up");

    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.adminPort()).isEqualTo(8081);
    assertThat(options.dataDir()).isEqualTo(Path.of("/repo/.kiln/data"));
    assertThat(options.agents()).isEmpty();
  }

  @Test
  void optionsWinOverTheirEnvironmentVariables() {
    Map<String, String> env =
        Map.of("KILN_PORT", "9000", "KILN_ADMIN_PORT", "9001", "KILN_DATA", "/srv/kiln");

    LocalOptions fromEnv = parse(env, "up");
    LocalOptions fromArgs =
        parse(env, "up", "--port", "7000", "--admin-port=7001", "--data", "here", "--agents", "3");

    assertThat(List.of(fromEnv.port(), fromEnv.adminPort())).containsExactly(9000, 9001);
    assertThat(fromEnv.dataDir()).isEqualTo(Path.of("/srv/kiln"));
    assertThat(List.of(fromArgs.port(), fromArgs.adminPort())).containsExactly(7000, 7001);
    assertThat(fromArgs.dataDir()).isEqualTo(Path.of("/repo/here"));
    assertThat(fromArgs.agents()).contains(3);
    assertThat(parse(Map.of("KILN_AGENTS", "4"), "up").agents()).isEqualTo(Optional.of(4));
  }

  @Test
  void theDemoReadsASizeAndAProcessorAndKeepsToItsOwnPortsAndData() {
    LocalOptions options =
        parse(
            Map.of("KILN_PORT", "9000", "KILN_DATA", "/srv"),
            "demo",
            "20MB",
            "--processor",
            "parse");

    assertThat(options.demoBytes()).isEqualTo(20_000_000);
    assertThat(options.processor()).isEqualTo("parse");
    assertThat(options.port()).isZero();
    assertThat(options.dataDir()).isEqualTo(Path.of("/repo/.kiln/demo"));
    assertThat(parse(Map.of(), "demo").demoBytes()).isEqualTo(200_000_000);
    assertThat(parse(Map.of(), "demo").processor()).isEqualTo("tf-savedmodel");
  }

  @Test
  void badArgumentsAreOneLineThatSaysWhatIsWrong() {
    assertRefused("unknown argument '--bogus'", "up", "--bogus");
    assertRefused(
        "the demo runs the processor tf-savedmodel or parse, not 'foo'",
        "demo",
        "--processor",
        "foo");
    assertRefused("--port must be a whole number, got 'http'", "up", "--port", "http");
    assertRefused("--port must be a port from 0 to 65535, got 70000", "up", "--port", "70000");
    assertRefused("--agents must be 1 or more, got 0", "up", "--agents", "0");
    assertRefused("--data needs a value", "up", "--data");
    assertRefused("--processor is not an option of this command", "up", "--processor", "parse");
    assertRefused("--port is not an option of this command", "demo", "--port", "1");
    assertRefused("cannot read the size 'lots'", "demo", "lots");
    assertRefused("unknown argument '30MB'", "demo", "20MB", "30MB");
    assertRefused("unknown command 'down'", "down");
    assertRefused("both 8080", "up", "--admin-port", "8080");
    assertThatThrownBy(() -> LocalOptions.parse(List.of("up"), Map.of("KILN_PORT", "x"), ROOT))
        .hasMessageStartingWith("KILN_PORT must be a whole number");
  }

  private static void assertRefused(String message, String... args) {
    assertThatThrownBy(() -> LocalOptions.parse(List.of(args), Map.of(), ROOT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private static LocalOptions parse(Map<String, String> env, String... args) {
    return LocalOptions.parse(List.of(args), env, ROOT);
  }
}
