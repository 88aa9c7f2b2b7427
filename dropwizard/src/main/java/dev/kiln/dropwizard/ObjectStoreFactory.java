package dev.kiln.dropwizard;

import com.codahale.metrics.health.HealthCheck;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Configuration for S3 (or an S3-compatible server when {@code endpoint} is set); {@link #build}
 * creates the store, its lifecycle and a health check on both buckets.
 */
public class ObjectStoreFactory {
  private String endpoint;
  @NotEmpty private String region = "us-east-1";
  private String accessKey;
  private String secretKey;
  private String uploadsBucket;
  private String resultsBucket;

  public S3Settings settings() {
    S3Settings base =
        new S3Settings(
            Optional.ofNullable(endpoint).filter(e -> !e.isBlank()).map(URI::create),
            region,
            Optional.ofNullable(accessKey),
            Optional.ofNullable(secretKey),
            "kiln-uploads-" + region,
            "kiln-results-" + region);
    return base.withBuckets(
        uploadsBucket == null ? base.uploadsBucket() : uploadsBucket,
        resultsBucket == null ? base.resultsBucket() : resultsBucket);
  }

  public ObjectStore build(Environment environment) {
    S3Settings settings = settings();
    ObjectStore store = ObjectStore.create(settings);
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void stop() {
                store.close();
              }
            });
    environment
        .healthChecks()
        .register(
            "s3",
            new HealthCheck() {
              @Override
              protected Result check() {
                for (String bucket : List.of(settings.uploadsBucket(), settings.resultsBucket())) {
                  if (!store.bucketExists(bucket)) {
                    return Result.unhealthy("bucket " + bucket + " does not exist");
                  }
                }
                return Result.healthy();
              }
            });
    return store;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getAccessKey() {
    return accessKey;
  }

  public void setAccessKey(String accessKey) {
    this.accessKey = accessKey;
  }

  public String getSecretKey() {
    return secretKey;
  }

  public void setSecretKey(String secretKey) {
    this.secretKey = secretKey;
  }

  public String getUploadsBucket() {
    return uploadsBucket;
  }

  public void setUploadsBucket(String uploadsBucket) {
    this.uploadsBucket = uploadsBucket;
  }

  public String getResultsBucket() {
    return resultsBucket;
  }

  public void setResultsBucket(String resultsBucket) {
    this.resultsBucket = resultsBucket;
  }
}
