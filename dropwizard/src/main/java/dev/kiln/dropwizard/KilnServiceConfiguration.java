package dev.kiln.dropwizard;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The sections every Kiln service's YAML has: {@code database} (PostgreSQL), {@code redis}, {@code
 * s3}, {@code pricing}, {@code notifications} and {@code tracing}. The API and the scheduler add
 * their own.
 */
public abstract class KilnServiceConfiguration extends Configuration {
  @Valid @NotNull private DataSourceFactory database = new DataSourceFactory();
  @Valid @NotNull private RedisFactory redis = new RedisFactory();
  @Valid @NotNull private ObjectStoreFactory s3 = new ObjectStoreFactory();
  @Valid @NotNull private PricingSettings pricing = new PricingSettings();
  @Valid @NotNull private NotificationsSettings notifications = new NotificationsSettings();
  @Valid @NotNull private TracingFactory tracing = new TracingFactory();

  @JsonProperty
  public TracingFactory getTracing() {
    return tracing;
  }

  @JsonProperty
  public void setTracing(TracingFactory tracing) {
    this.tracing = tracing;
  }

  @JsonProperty
  public DataSourceFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DataSourceFactory database) {
    this.database = database;
  }

  @JsonProperty
  public RedisFactory getRedis() {
    return redis;
  }

  @JsonProperty
  public void setRedis(RedisFactory redis) {
    this.redis = redis;
  }

  @JsonProperty
  public ObjectStoreFactory getS3() {
    return s3;
  }

  @JsonProperty
  public void setS3(ObjectStoreFactory s3) {
    this.s3 = s3;
  }

  @JsonProperty
  public PricingSettings getPricing() {
    return pricing;
  }

  @JsonProperty
  public void setPricing(PricingSettings pricing) {
    this.pricing = pricing;
  }

  @JsonProperty
  public NotificationsSettings getNotifications() {
    return notifications;
  }

  @JsonProperty
  public void setNotifications(NotificationsSettings notifications) {
    this.notifications = notifications;
  }
}
