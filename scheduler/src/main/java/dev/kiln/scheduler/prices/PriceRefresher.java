package dev.kiln.scheduler.prices;

import dev.kiln.db.spend.InstancePrices;
import dev.kiln.model.FetchedPrice;
import dev.kiln.model.PriceSource;
import io.prometheus.metrics.core.metrics.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Refreshes the prices jobs are charged at: each {@link #refresh()} reads the spot price history
 * and the on-demand price of every instance type of the fleet and stores them ({@code
 * instance_prices}). A source that fails (throttled, unreachable, an answer it cannot read) keeps
 * the prices stored before, logs one line and counts the failure; nothing here blocks scheduling,
 * since it runs on its own poller. Run by one poller thread; not thread-safe.
 */
public final class PriceRefresher {
  /** Failed refreshes by source ({@code spot-price-history}, {@code pricing-api}). */
  public static final String FAILURES = "kiln_price_refresh_failures";

  private static final Logger LOG = LoggerFactory.getLogger(PriceRefresher.class);

  private final Jdbi jdbi;
  private final SpotPriceReader spot;
  private final OnDemandPriceReader onDemand;
  private final List<String> instanceTypes;
  private final Counter failures;
  private final Clock clock;
  private final Duration interval;
  private Instant lastAttempt;
  private Instant notDueBefore;

  public PriceRefresher(
      Jdbi jdbi,
      SpotPriceReader spot,
      OnDemandPriceReader onDemand,
      List<String> instanceTypes,
      Counter failures,
      Clock clock,
      Duration interval) {
    this.interval = interval;
    this.jdbi = jdbi;
    this.spot = spot;
    this.onDemand = onDemand;
    this.instanceTypes = List.copyOf(instanceTypes);
    this.failures = failures;
    this.clock = clock;
  }

  /** The failure counter this refresher reports to, labelled by source. */
  public static Counter failureCounter() {
    return Counter.builder()
        .name(FAILURES)
        .help("Price refreshes from AWS that failed and kept the last known prices, by source")
        .labelNames("source")
        .build();
  }

  /**
   * Refreshes when due: {@code interval} after this process last tried and after any scheduler last
   * fetched (so a new leader does not fetch again what the old one just did). The poller calls this
   * more often than {@code interval}, so a process that becomes leader refreshes soon.
   */
  public boolean tick() {
    Instant now = clock.instant();
    if (lastAttempt != null && now.isBefore(lastAttempt.plus(interval))) {
      return false;
    }
    if (notDueBefore != null && now.isBefore(notDueBefore)) {
      return false;
    }
    Optional<Instant> lastFetched = jdbi.withHandle(InstancePrices::lastFetched);
    if (lastFetched.isPresent() && now.isBefore(lastFetched.get().plus(interval))) {
      // The database is asked again only when that fetch is due, not at every look.
      notDueBefore = lastFetched.get().plus(interval);
      return false;
    }
    return refresh();
  }

  /** Reads both sources and stores what each gave; never throws for a source that failed. */
  public boolean refresh() {
    Instant now = clock.instant();
    lastAttempt = now;
    refreshSpot(now);
    refreshOnDemand(now);
    return false;
  }

  private void refreshSpot(Instant now) {
    List<FetchedPrice> prices;
    try {
      prices = spot.read(instanceTypes, now);
    } catch (SdkException | PriceListParser.UnreadablePriceListException e) {
      failed(PriceSource.SPOT_PRICE_HISTORY, reason(e));
      return;
    }
    int stored = store(prices, now);
    LOG.debug("Refreshed {} spot prices", stored);
  }

  private void refreshOnDemand(Instant now) {
    List<FetchedPrice> prices = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String type : instanceTypes) {
      try {
        Optional<FetchedPrice> price = onDemand.read(type, now);
        if (price.isPresent()) {
          prices.add(price.get());
        } else {
          problems.add(type + ": the price list names no on-demand Linux price");
        }
      } catch (PricingApiClient.PriceFetchException
          | PriceListParser.UnreadablePriceListException e) {
        problems.add(type + ": " + reason(e));
      }
    }
    store(prices, now);
    if (!problems.isEmpty()) {
      failed(PriceSource.PRICING_API, String.join("; ", problems));
    }
  }

  private int store(List<FetchedPrice> prices, Instant now) {
    return jdbi.inTransaction(handle -> InstancePrices.store(handle, prices, now));
  }

  private void failed(PriceSource source, String reason) {
    failures.labelValues(source.wireName()).inc();
    Optional<Instant> last = jdbi.withHandle(handle -> InstancePrices.lastFetched(handle, source));
    LOG.warn(
        "Prices from the {} not refreshed ({}); {}",
        source == PriceSource.SPOT_PRICE_HISTORY ? "EC2 spot price history" : "AWS Pricing API",
        reason,
        last.map(
                at ->
                    "keeping those fetched "
                        + Duration.between(at, clock.instant()).toMinutes()
                        + " minutes ago")
            .orElse("none fetched yet: configured prices apply"));
  }

  /** One line on what went wrong: the AWS error code when AWS answered, else the message. */
  private static String reason(RuntimeException e) {
    if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
      return "AWS answered "
          + aws.statusCode()
          + " "
          + aws.awsErrorDetails().errorCode()
          + ": "
          + aws.awsErrorDetails().errorMessage();
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
  }
}
