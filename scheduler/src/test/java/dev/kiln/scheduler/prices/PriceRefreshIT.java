package dev.kiln.scheduler.prices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.db.spend.InstancePrices;
import dev.kiln.model.FetchedPrice;
import dev.kiln.model.PriceSource;
import dev.kiln.model.fleet.PurchaseOption;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.MotoServer;
import dev.kiln.testkit.MotoServerExtension;
import dev.kiln.testkit.SettableClock;
import dev.kiln.testkit.TestStack;
import io.dropwizard.util.Duration;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The price refresher against moto_server's spot price history and a recorded Pricing API answer
 * served in-process (moto has no Pricing API), storing into a real PostgreSQL: it stores what AWS
 * answers, and a source that fails keeps the prices stored before.
 */
@ExtendWith({MotoServerExtension.class, KilnStackExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PriceRefreshIT {
  private static final String TYPE = "g4dn.xlarge";
  private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

  private final MotoServer moto;
  private StackClients clients;
  private Jdbi jdbi;
  private PricingApiFake pricingApi;
  private SettableClock clock;
  private Counter failures;
  private Ec2Client ec2;
  private PricingApiClient pricing;

  PriceRefreshIT(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeAll
  void start(TestStack stack) {
    clients = new StackClients(stack);
    jdbi = clients.jdbi();
    pricingApi = new PricingApiFake();
  }

  @AfterAll
  void stop() {
    pricingApi.close();
    clients.close();
  }

  @BeforeEach
  void freshPrices() {
    jdbi.useHandle(handle -> handle.execute("delete from instance_prices"));
    pricingApi.answerRecorded();
    clock = new SettableClock(START);
    failures = PriceRefresher.failureCounter();
  }

  @AfterEach
  void closeClients() {
    if (ec2 != null) {
      ec2.close();
    }
    if (pricing != null) {
      pricing.close();
    }
  }

  @Test
  void aRefreshStoresTheSpotPriceOfEveryZoneAndTheOnDemandPrice() {
    refresher(moto.endpoint()).refresh();

    List<FetchedPrice> spot = history(PurchaseOption.SPOT, "us-east-1a");
    assertThat(spot).isNotEmpty();
    assertThat(spot.get(0).usdPerHour()).isEqualTo(0.00001);
    assertThat(spot.get(0).source()).isEqualTo(PriceSource.SPOT_PRICE_HISTORY);
    assertThat(spot.get(0).region()).isEqualTo("us-east-1");
    assertThat(history(PurchaseOption.SPOT, "us-east-1b")).isNotEmpty();
    List<FetchedPrice> onDemand = history(PurchaseOption.ON_DEMAND, "us-east-1");
    assertThat(onDemand)
        .containsExactly(
            FetchedPrice.onDemand(TYPE, "us-east-1", 0.526, Instant.parse("2025-11-01T00:00:00Z")));
    assertThat(pricingApi.lastTarget()).isEqualTo("AWSPriceListService.GetProducts");
    assertThat(pricingApi.lastBody())
        .contains("\"AmazonEC2\"", "\"g4dn.xlarge\"", "\"regionCode\"");
    assertThat(lastFetched(PriceSource.SPOT_PRICE_HISTORY)).isEqualTo(START);
    assertThat(lastFetched(PriceSource.PRICING_API)).isEqualTo(START);
    assertThat(failures.labelValues("spot-price-history").get()).isZero();
    assertThat(failures.labelValues("pricing-api").get()).isZero();
  }

  @Test
  void aRefreshThatFailsKeepsTheLastKnownPricesAndCountsTheFailure() {
    refresher(moto.endpoint()).refresh();
    List<FetchedPrice> spotBefore = history(PurchaseOption.SPOT, "us-east-1a");
    closeClients();
    pricingApi.answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
    clock.advance(java.time.Duration.ofHours(2));

    refresher(unreachable()).refresh();

    assertThat(history(PurchaseOption.SPOT, "us-east-1a")).isEqualTo(spotBefore);
    assertThat(history(PurchaseOption.ON_DEMAND, "us-east-1")).hasSize(1);
    assertThat(lastFetched(PriceSource.SPOT_PRICE_HISTORY)).isEqualTo(START);
    assertThat(lastFetched(PriceSource.PRICING_API)).isEqualTo(START);
    assertThat(failures.labelValues("spot-price-history").get()).isEqualTo(1.0);
    assertThat(failures.labelValues("pricing-api").get()).isEqualTo(1.0);
    assertThat(PriceAgeGauge.ages(jdbi, clock).get(PriceSource.PRICING_API))
        .isEqualTo(java.time.Duration.ofHours(2));
  }

  @Test
  void aPriceListItCannotReadKeepsTheLastKnownOnDemandPrice() {
    refresher(moto.endpoint()).refresh();
    closeClients();
    pricingApi.answer(200, "{\"FormatVersion\":\"aws_v1\",\"PriceList\":[\"<p>\"]}");
    clock.advance(java.time.Duration.ofHours(1));

    refresher(moto.endpoint()).refresh();

    assertThat(history(PurchaseOption.ON_DEMAND, "us-east-1"))
        .extracting(FetchedPrice::usdPerHour)
        .containsExactly(0.526);
    assertThat(lastFetched(PriceSource.PRICING_API)).isEqualTo(START);
    assertThat(lastFetched(PriceSource.SPOT_PRICE_HISTORY)).isEqualTo(clock.instant());
    assertThat(failures.labelValues("pricing-api").get()).isEqualTo(1.0);
    assertThat(failures.labelValues("spot-price-history").get()).isZero();
  }

  @Test
  void aTickRefreshesOnlyOnceTheIntervalHasPassedSinceTheLastFetch() {
    PriceRefresher refresher = refresher(moto.endpoint());

    refresher.tick();
    clock.advance(java.time.Duration.ofMinutes(59));
    refresher.tick();
    Instant tooSoon = lastFetched(PriceSource.SPOT_PRICE_HISTORY);
    clock.advance(java.time.Duration.ofMinutes(1));
    refresher.tick();

    assertThat(tooSoon).isEqualTo(START);
    assertThat(lastFetched(PriceSource.SPOT_PRICE_HISTORY)).isEqualTo(clock.instant());
    assertThat(lastFetched(PriceSource.PRICING_API)).isEqualTo(clock.instant());
  }

  private PriceRefresher refresher(URI ec2Endpoint) {
    PriceRefreshFactory factory = new PriceRefreshFactory();
    factory.setRefresh(true);
    factory.setRegion(MotoServer.REGION);
    factory.setInstanceTypes(List.of(TYPE));
    factory.setEc2Endpoint(ec2Endpoint);
    factory.setPricingEndpoint(pricingApi.endpoint());
    factory.setAccessKey(MotoServer.ACCESS_KEY);
    factory.setSecretKey(MotoServer.SECRET_KEY);
    factory.setRetries(false);
    factory.setCallTimeout(Duration.seconds(10));
    ec2 = factory.ec2Client();
    pricing = factory.pricingClient();
    return factory.refresher(jdbi, ec2, pricing, List.of("unused"), failures, clock);
  }

  private List<FetchedPrice> history(PurchaseOption option, String location) {
    return jdbi.withHandle(handle -> InstancePrices.history(handle, TYPE, option, location));
  }

  private Instant lastFetched(PriceSource source) {
    return jdbi.withHandle(handle -> InstancePrices.lastFetched(handle, source)).orElseThrow();
  }

  /** An endpoint where nothing listens: the network is gone. */
  private static URI unreachable() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
