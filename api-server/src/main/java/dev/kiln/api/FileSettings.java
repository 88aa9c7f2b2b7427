package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * Upload settings. {@code retention} sets each file's expiry date; keep it equal to the uploads
 * bucket's lifecycle expiration so the database and the bucket agree.
 */
public class FileSettings {
  @NotNull private DataSize quotaPerAccount = DataSize.gibibytes(50);
  @NotNull private DataSize multipartThreshold = DataSize.mebibytes(64);
  @NotNull private DataSize partSize = DataSize.mebibytes(64);
  @NotNull private DataSize maxFileSize = DataSize.gibibytes(500);
  @NotNull private Duration retention = Duration.days(30);
  @NotNull private Duration presignTtl = Duration.hours(1);

  @JsonProperty
  public DataSize getQuotaPerAccount() {
    return quotaPerAccount;
  }

  @JsonProperty
  public void setQuotaPerAccount(DataSize quotaPerAccount) {
    this.quotaPerAccount = quotaPerAccount;
  }

  @JsonProperty
  public DataSize getMultipartThreshold() {
    return multipartThreshold;
  }

  @JsonProperty
  public void setMultipartThreshold(DataSize multipartThreshold) {
    this.multipartThreshold = multipartThreshold;
  }

  @JsonProperty
  public DataSize getPartSize() {
    return partSize;
  }

  @JsonProperty
  public void setPartSize(DataSize partSize) {
    this.partSize = partSize;
  }

  @JsonProperty
  public DataSize getMaxFileSize() {
    return maxFileSize;
  }

  @JsonProperty
  public void setMaxFileSize(DataSize maxFileSize) {
    this.maxFileSize = maxFileSize;
  }

  @JsonProperty
  public Duration getRetention() {
    return retention;
  }

  @JsonProperty
  public void setRetention(Duration retention) {
    this.retention = retention;
  }

  @JsonProperty
  public Duration getPresignTtl() {
    return presignTtl;
  }

  @JsonProperty
  public void setPresignTtl(Duration presignTtl) {
    this.presignTtl = presignTtl;
  }
}
