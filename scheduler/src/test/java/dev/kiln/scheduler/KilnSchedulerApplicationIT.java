package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.scheduler.support.Services;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Dropwizard application starts, leads, and reports its leadership on the admin port. */
class KilnSchedulerApplicationIT {
  @Test
  void startsLeadsAndReportsHealthOnTheAdminPort() throws Exception {
    try (Services services = Services.start()) {
      var s3 = services.store().settings();
      DropwizardTestSupport<KilnSchedulerConfiguration> app =
          new DropwizardTestSupport<>(
              KilnSchedulerApplication.class,
              ResourceHelpers.resourceFilePath("scheduler-test.yml"),
              ConfigOverride.config("database.url", services.jdbcUrl()),
              ConfigOverride.config("redis.uri", services.redisUri()),
              ConfigOverride.config("s3.endpoint", s3.endpoint().orElseThrow().toString()),
              ConfigOverride.config("s3.accessKey", s3.accessKey().orElseThrow()),
              ConfigOverride.config("s3.secretKey", s3.secretKey().orElseThrow()),
              ConfigOverride.config("s3.uploadsBucket", s3.uploadsBucket()),
              ConfigOverride.config("s3.resultsBucket", s3.resultsBucket()));
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
}
