package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kiln.api.resources.RequestIdFilter;
import dev.kiln.api.service.JobService;
import dev.kiln.protocol.LogFields;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Every answer names its request ({@code X-Request-Id}): a trusted proxy's id is kept, a missing or
 * malformed one is made up; and the log lines written while serving it carry that id, the account
 * and the job.
 */
@ExtendWith(KilnStackExtension.class)
class RequestIdIT {
  private static ApiHarness api;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    // The tests' requests come from loopback: a trusted proxy here.
    api =
        ApiHarness.start(
            stack,
            ConfigOverride.config("http.trustedProxies", "127.0.0.0/8"),
            ConfigOverride.config("logging.level", "INFO"));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aRequestWithoutAnIdGetsOne() {
    ApiHarness.Answer answer = api.get("/api/v1/health", null);

    assertThat(UUID.fromString(answer.header(RequestIdFilter.HEADER))).isNotNull();
  }

  @Test
  void aMalformedIdIsReplaced() {
    ApiHarness.Answer answer =
        api.call("GET", "/api/v1/health", null, null, Map.of(RequestIdFilter.HEADER, "a b{c}"));

    assertThat(UUID.fromString(answer.header(RequestIdFilter.HEADER))).isNotNull();
  }

  @Test
  void theProxysIdIsAnsweredAndOnTheLogLinesWithAccountAndJob() {
    String token = api.newUser();
    String file = new Fixtures(api).readyFile(token);
    UUID account = new Fixtures(api).accountId(token);
    Logger logger = (Logger) LoggerFactory.getLogger(JobService.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      ApiHarness.Answer submitted =
          api.call(
              "POST",
              "/api/v1/jobs",
              token,
              api.toJson(Map.of("processor", "parse", "inputs", List.of(file))),
              Map.of(RequestIdFilter.HEADER, "edge-42.7"));

      assertThat(submitted.status()).isEqualTo(202);
      assertThat(submitted.header(RequestIdFilter.HEADER)).isEqualTo("edge-42.7");
      assertThat(lines.list)
          .filteredOn(line -> line.getFormattedMessage().startsWith("Accepted job"))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line.getMDCPropertyMap())
                      .containsEntry(LogFields.REQUEST_ID, "edge-42.7")
                      .containsEntry(LogFields.ACCOUNT, account.toString())
                      .containsEntry(LogFields.JOB, submitted.text("id")));
    } finally {
      logger.detachAppender(lines);
    }
  }
}
