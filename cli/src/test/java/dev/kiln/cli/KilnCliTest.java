package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a server: usage, version, completion and the not-logged-in path. */
class KilnCliTest {
  @TempDir Path home;

  private record Run(int exit, String out, String err) {}

  private Run kiln(Map<String, String> extra, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = new java.util.HashMap<>(extra);
    env.put("HOME", home.toString());
    CliContext context =
        new CliContext(
            env, new ByteArrayInputStream(new byte[0]), out, err, false, false, Clock.systemUTC());
    int exit = KilnCli.commandLine(context).execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsItsVersion() {
    Run version = kiln(Map.of(), "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("kiln ").doesNotContain("${");
  }

  @Test
  void aBadArgumentIsAUsageErrorInOneLineAndAPointer() {
    Run run = kiln(Map.of(), "jobs", "show", "not-a-job-id");
    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("kiln: ").contains("see: kiln jobs show --help");
    assertThat(run.err().lines()).hasSize(2);
    assertThat(kiln(Map.of(), "--output", "yaml", "whoami").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(kiln(Map.of(), "no-such-command").exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void withoutALoginCommandsSayHowToLogIn() {
    Run run = kiln(Map.of(), "jobs", "ls");
    assertThat(run.exit()).isEqualTo(ExitCodes.AUTH);
    assertThat(run.err()).isEqualTo("kiln: not logged in: run kiln login (or set KILN_API_KEY)\n");
    Run other = kiln(Map.of("KILN_PROFILE", "prod"), "whoami");
    assertThat(other.err()).contains("with profile 'prod'");
    Run logout = kiln(Map.of(), "logout");
    assertThat(logout.exit()).isZero();
  }

  @Test
  void generatesTheCompletionScriptFromTheCommands() {
    Run run = kiln(Map.of(), "completion");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("complete -F").contains("upload").contains("download");
  }

  @Test
  void globalOptionsGoBeforeOrAfterTheCommand() {
    assertThat(kiln(Map.of(), "whoami", "--profile", "x", "--output", "json").err())
        .contains("profile 'x'");
    assertThat(kiln(Map.of(), "--profile", "y", "whoami").err()).contains("profile 'y'");
  }
}
