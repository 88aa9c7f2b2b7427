package dev.kiln.scheduler.prices;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
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
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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
  private final AtomicReference<PricingAnswer> answer = new AtomicReference<>();
  private final AtomicReference<String> askedTarget = new AtomicReference<>();
  private final AtomicReference<String> askedBody = new AtomicReference<>();
  private StackClients clients;
  private Jdbi jdbi;
  private HttpServer pricingApi;
  private SettableClock clock;
  private Counter failures;
  private Ec2Client ec2;
  private PricingApiClient pricing;

  PriceRefreshIT(MotoServer moto) {
    this.moto = moto;
  }

  /** What the in-process Pricing API answers: an HTTP status and a JSON body. */
  private record PricingAnswer(int status, String body) {}

  @BeforeAll
  void start(TestStack stack) throws IOException {
    clients = new StackClients(stack);
    jdbi = clients.jdbi();
    pricingApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pricingApi.createContext(
        "/",
        exchange -> {
          askedTarget.set(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
          askedBody.set(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          PricingAnswer current = answer.get();
          byte[] body = current.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(current.status(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    pricingApi.start();
  }

  @AfterAll
  void stop() {
    pricingApi.stop(0);
    clients.close();
  }

  @BeforeEach
  void freshPrices() throws IOException {
    jdbi.useHandle(handle -> handle.execute("delete from instance_prices"));
    answer.set(new PricingAnswer(200, recordedAnswer()));
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
    assertThat(askedTarget.get()).isEqualTo("AWSPriceListService.GetProducts");
    assertThat(askedBody.get()).contains("\"AmazonEC2\"", "\"g4dn.xlarge\"", "\"regionCode\"");
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
    answer.set(
        new PricingAnswer(
            400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"));
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
    answer.set(new PricingAnswer(200, "{\"FormatVersion\":\"aws_v1\",\"PriceList\":[\"<p>\"]}"));
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

  private PriceRefresher refresher(URI ec2Endpoint) {
    PriceRefreshFactory factory = new PriceRefreshFactory();
    factory.setRefresh(true);
    factory.setRegion(MotoServer.REGION);
    factory.setInstanceTypes(List.of(TYPE));
    factory.setEc2Endpoint(ec2Endpoint);
    factory.setPricingEndpoint(URI.create("http://127.0.0.1:" + pricingApi.getAddress().getPort()));
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

  private static String recordedAnswer() throws IOException {
    try (InputStream in =
        PriceRefreshIT.class.getResourceAsStream("get-products-g4dn.xlarge-us-east-1.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
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
