package dev.kiln.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The self-tests of the infrastructure scripts that need no tool but bash, run by {@code mvn
 * verify} as well as by {@code infra/check.sh}.
 */
class InfraScriptsIT {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @Test
  void checkReportsTheTerraformCheckAsNotRunWithoutTerraform() throws Exception {
    Process test =
        new ProcessBuilder("bash", "infra/tests/check-without-terraform-test.sh")
            .directory(REPOSITORY.toFile())
            .redirectErrorStream(true)
            .start();
    test.getOutputStream().close();
    String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(test.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(test.exitValue()).as(output).isZero();
    assertThat(output).contains("check-without-terraform-test: ok");
  }
}
