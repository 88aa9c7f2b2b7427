package dev.kiln.db.spend;

import dev.kiln.model.FetchedPrice;
import dev.kiln.model.PriceSource;
import dev.kiln.model.fleet.PurchaseOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The hourly prices fetched from AWS ({@code instance_prices}, {@code V99}): spot prices per zone,
 * on-demand prices per region, each from the moment it took effect. Stateless.
 */
public final class InstancePrices {
  private InstancePrices() {}

  /**
   * Stores {@code prices}, fetched at {@code fetchedAt}; a price already known (same type, option,
   * location and moment) only has its {@code fetched_at} moved. Answers the rows written.
   */
  public static int store(Handle handle, List<FetchedPrice> prices, Instant fetchedAt) {
    if (prices.isEmpty()) {
      return 0;
    }
    PreparedBatch batch =
        handle.prepareBatch(
            """
            insert into instance_prices (instance_type, purchase_option, region, location,
                                         usd_per_hour, effective_at, fetched_at, source)
            values (:instanceType, :purchaseOption, :region, :location,
                    :usdPerHour, :effectiveAt, :fetchedAt, :source)
            on conflict (instance_type, purchase_option, location, effective_at)
            do update set usd_per_hour = excluded.usd_per_hour, fetched_at = excluded.fetched_at,
                          region = excluded.region, source = excluded.source
            """);
    OffsetDateTime fetched = utc(fetchedAt);
    for (FetchedPrice price : prices) {
      batch
          .bind("instanceType", price.instanceType())
          .bind("purchaseOption", price.purchaseOption().wireName())
          .bind("region", price.region())
          .bind("location", price.location())
          .bind("usdPerHour", price.usdPerHour())
          .bind("effectiveAt", utc(price.effectiveAt()))
          .bind("fetchedAt", fetched)
          .bind("source", price.source().wireName())
          .add();
    }
    int written = 0;
    for (int count : batch.execute()) {
      written += count;
    }
    return written;
  }

  /** When any price was last fetched, if ever. */
  public static Optional<Instant> lastFetched(Handle handle) {
    return handle
        .createQuery("select max(fetched_at) from instance_prices")
        .mapTo(OffsetDateTime.class)
        .findOne()
        .map(OffsetDateTime::toInstant);
  }

  /** When prices from {@code source} were last fetched, if ever. */
  public static Optional<Instant> lastFetched(Handle handle, PriceSource source) {
    return handle
        .createQuery("select max(fetched_at) from instance_prices where source = :source")
        .bind("source", source.wireName())
        .mapTo(OffsetDateTime.class)
        .findOne()
        .map(OffsetDateTime::toInstant);
  }

  /**
   * The prices of {@code instanceType} bought as {@code option} known at {@code location}, newest
   * first.
   */
  public static List<FetchedPrice> history(
      Handle handle, String instanceType, PurchaseOption option, String location) {
    return handle
        .createQuery(
            """
            select instance_type, purchase_option, region, location, usd_per_hour, effective_at,
                   source
              from instance_prices
             where instance_type = :instanceType and purchase_option = :purchaseOption
               and location = :location
             order by effective_at desc
            """)
        .bind("instanceType", instanceType)
        .bind("purchaseOption", option.wireName())
        .bind("location", location)
        .map(
            (rs, ctx) ->
                new FetchedPrice(
                    rs.getString("instance_type"),
                    PurchaseOption.parse(rs.getString("purchase_option")),
                    rs.getString("region"),
                    rs.getString("location"),
                    rs.getDouble("usd_per_hour"),
                    rs.getObject("effective_at", OffsetDateTime.class).toInstant(),
                    PriceSource.parse(rs.getString("source"))))
        .list();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
