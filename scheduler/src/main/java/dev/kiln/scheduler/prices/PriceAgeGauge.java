package dev.kiln.scheduler.prices;

import dev.kiln.db.spend.InstancePrices;
import dev.kiln.model.PriceSource;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kiln_price_age_seconds{source}}: how long ago prices from each AWS source were last
 * fetched, read from PostgreSQL at each scrape (so every scheduler reports it, leader or not). A
 * source never fetched, or a database that cannot be read, leaves its sample out. Thread-safe.
 */
public final class PriceAgeGauge {
  public static final String NAME = "kiln_price_age_seconds";

  private static final Logger LOG = LoggerFactory.getLogger(PriceAgeGauge.class);
  private static final List<PriceSource> FETCHED =
      List.of(PriceSource.SPOT_PRICE_HISTORY, PriceSource.PRICING_API);

  private PriceAgeGauge() {}

  /** Registers the gauge in {@code registry}. */
  public static void register(PrometheusRegistry registry, Jdbi jdbi, Clock clock) {
    GaugeWithCallback.builder()
        .name(NAME)
        .help("Seconds since prices were last fetched from AWS, by source")
        .labelNames("source")
        .callback(
            callback ->
                ages(jdbi, clock)
                    .forEach(
                        (source, age) -> callback.call(age.toMillis() / 1000.0, source.wireName())))
        .register(registry);
  }

  /** The age of each source's newest fetch; empty when the database cannot be read. */
  static Map<PriceSource, Duration> ages(Jdbi jdbi, Clock clock) {
    Map<PriceSource, Duration> ages = new EnumMap<>(PriceSource.class);
    try {
      Instant now = clock.instant();
      jdbi.useHandle(
          handle -> {
            for (PriceSource source : FETCHED) {
              Optional<Instant> last = InstancePrices.lastFetched(handle, source);
              last.ifPresent(at -> ages.put(source, Duration.between(at, now)));
            }
          });
    } catch (RuntimeException e) {
      LOG.debug("The age of the prices cannot be read: {}", e.getMessage());
      return Map.of();
    }
    return ages;
  }
}
