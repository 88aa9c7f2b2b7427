package dev.kiln.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.KilnApiException;
import dev.kiln.client.api.Problem;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  private static KilnApiException problem(int status, String detail) {
    return new KilnApiException(
        status, new Problem("about:blank", "Title", status, detail, null, null), "{}");
  }

  @Test
  void theProblemsDetailIsTheLineAndTheStatusTheCode() {
    assertThat(Failures.of(problem(401, "Wrong e-mail or password.")))
        .isEqualTo(new Failures.Verdict(ExitCodes.AUTH, "Wrong e-mail or password."));
    assertThat(Failures.of(problem(403, "Admins only.")).exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(Failures.of(problem(404, "No job 1.")).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(Failures.of(problem(409, "Busy.")).exitCode()).isEqualTo(ExitCodes.GENERAL);
    assertThat(Failures.of(problem(503, "Try later.")).exitCode()).isEqualTo(ExitCodes.NETWORK);
  }

  @Test
  void anAnswerWithoutAProblemKeepsItsFirstLine() {
    KilnApiException bare = new KilnApiException(502, null, "<html>\nbad gateway\n</html>");
    Failures.Verdict verdict = Failures.of(bare);
    assertThat(verdict.exitCode()).isEqualTo(ExitCodes.NETWORK);
    assertThat(verdict.message()).doesNotContain("\n").contains("HTTP 502");
  }

  @Test
  void networkFailuresAreCodeSeven() {
    Failures.Verdict refused =
        Failures.of(new UncheckedIOException(new ConnectException("Connection refused")));
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.NETWORK);
    assertThat(refused.message()).startsWith("cannot reach the Kiln API");
    assertThat(
            Failures.of(new UncheckedIOException(new HttpConnectTimeoutException("timed out")))
                .exitCode())
        .isEqualTo(ExitCodes.NETWORK);
  }

  @Test
  void localFilesAndCommandFailuresSayWhat() {
    assertThat(Failures.of(new UncheckedIOException(new NoSuchFileException("/x/in.csv"))))
        .isEqualTo(new Failures.Verdict(ExitCodes.GENERAL, "no such file: /x/in.csv"));
    assertThat(Failures.of(new CliException(ExitCodes.USAGE, "bad")))
        .isEqualTo(new Failures.Verdict(ExitCodes.USAGE, "bad"));
  }

  @Test
  void missingAwsCredentialsAreOneShortLine() {
    Failures.Verdict verdict =
        Failures.of(
            new IllegalStateException(
                "Unable to load credentials from any of the providers in the chain"
                    + " AwsCredentialsProviderChain(credentialsProviders=[...]) : [...]"));
    assertThat(verdict.exitCode()).isEqualTo(ExitCodes.GENERAL);
    assertThat(verdict.message()).startsWith("no AWS credentials found").hasSizeLessThan(140);
  }

  @Test
  void anyOtherExceptionGivesItsFirstLine() {
    assertThat(Failures.of(new IllegalStateException("first\nsecond")).message())
        .isEqualTo("first");
    assertThat(Failures.of(new NullPointerException()).message()).isEqualTo("NullPointerException");
  }
}
