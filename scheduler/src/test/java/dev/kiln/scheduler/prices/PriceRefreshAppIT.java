package dev.kiln.scheduler.prices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.db.spend.InstancePrices;
import dev.kiln.embedded.S3Endpoint;
import dev.kiln.model.FetchedPrice;
import dev.kiln.model.fleet.PurchaseOption;
import dev.kiln.scheduler.KilnSchedulerApplication;
import dev.kiln.scheduler.KilnSchedulerConfiguration;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.MotoServer;
import dev.kiln.testkit.MotoServerExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler application with {@code prices.refresh} on: once it leads it fetches prices from
 * moto_server's spot price history and the in-process Pricing API, and its Prometheus endpoint
 * gives their age.
 */
@ExtendWith({MotoServerExtension.class, KilnStackExtension.class})
class PriceRefreshAppIT {
  @Test
  void theLeaderRefreshesThePricesAndReportsTheirAge(TestStack stack, MotoServer moto)
      throws Exception {
    S3Endpoint s3 = stack.s3();
    try (PricingApiFake pricingApi = new PricingApiFake();
        StackClients clients = new StackClients(stack)) {
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
              ConfigOverride.config("s3.resultsBucket", stack.resultsBucket()),
              ConfigOverride.config("prices.refresh", "true"),
              ConfigOverride.config("prices.region", MotoServer.REGION),
              ConfigOverride.config("prices.ec2Endpoint", moto.endpoint().toString()),
              ConfigOverride.config("prices.pricingEndpoint", pricingApi.endpoint().toString()),
              ConfigOverride.config("prices.accessKey", MotoServer.ACCESS_KEY),
              ConfigOverride.config("prices.secretKey", MotoServer.SECRET_KEY),
              ConfigOverride.config("prices.retries", "false"));
      app.before();
      try {
        Jdbi jdbi = clients.jdbi();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !history(jdbi, PurchaseOption.ON_DEMAND, "us-east-1").isEmpty());
        assertThat(history(jdbi, PurchaseOption.SPOT, "us-east-1a")).isNotEmpty();
        HttpResponse<String> metrics =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + app.getAdminPort() + "/prometheus"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
            .contains("kiln_price_age_seconds{source=\"spot-price-history\"}")
            .contains("kiln_price_age_seconds{source=\"pricing-api\"}")
            .contains("kiln_price_refresh_failures_total{source=\"pricing-api\"}");
      } finally {
        app.after();
      }
    }
  }

  private static List<FetchedPrice> history(Jdbi jdbi, PurchaseOption option, String location) {
    return jdbi.withHandle(
        handle -> InstancePrices.history(handle, "g4dn.xlarge", option, location));
  }
}
