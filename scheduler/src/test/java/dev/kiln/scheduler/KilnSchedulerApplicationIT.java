package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.embedded.S3Endpoint;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Dropwizard application starts, leads, and reports its leadership on the admin port. */
@ExtendWith(KilnStackExtension.class)
class KilnSchedulerApplicationIT {
  @Test
  void startsLeadsAndReportsHealthOnTheAdminPort(TestStack stack) throws Exception {
    S3Endpoint s3 = stack.s3();
    DropwizardTestSupport<KilnSchedulerConfiguration> app =
        new DropwizardTestSupport<>(
            KilnSchedulerApplication.class,
            ResourceHelpers.resourceFilePath("scheduler-test.yml"),
            ConfigOverride.config("database.url", stack.jdbcUrl()),
            ConfigOverride.config("database.user", stack.dbUser()),
            ConfigOverride.config("database.password", stack.dbPassword()),
            ConfigOverride.config("redis.uri", stack.redisUri()),
            ConfigOverride.config("s3.endpoint", s3.endpoint().toString()),
            ConfigOverride.config("s3.region", s3.region()),
            ConfigOverride.config("s3.accessKey", s3.accessKey()),
            ConfigOverride.config("s3.secretKey", s3.secretKey()),
            ConfigOverride.config("s3.uploadsBucket", stack.uploadsBucket()),
            ConfigOverride.config("s3.resultsBucket", stack.resultsBucket()));
    app.before();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI health = URI.create("http://127.0.0.1:" + app.getAdminPort() + "/healthcheck");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  http.send(
                          HttpRequest.newBuilder(health).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body()
                      .contains("leader (token"));
      HttpResponse<String> answer =
          http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"postgres\"").contains("\"redis\"").contains("\"s3\"");
    } finally {
      app.after();
    }
  }
}
