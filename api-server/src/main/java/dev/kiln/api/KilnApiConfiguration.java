package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.core.dropwizard.ObjectStoreFactory;
import dev.kiln.core.dropwizard.RedisFactory;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The API server's configuration: one section per external dependency plus the API's own. */
public class KilnApiConfiguration extends Configuration {
  @Valid @NotNull private DataSourceFactory database = new DataSourceFactory();
  @Valid @NotNull private RedisFactory redis = new RedisFactory();
  @Valid @NotNull private ObjectStoreFactory s3 = new ObjectStoreFactory();
  @Valid @NotNull private AuthSettings auth = new AuthSettings();
  @Valid @NotNull private FileSettings files = new FileSettings();
  @Valid @NotNull private JobSettings jobs = new JobSettings();
  @Valid @NotNull private HttpSettings http = new HttpSettings();
  @Valid @NotNull private ReleaseSettings releases = new ReleaseSettings();

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
  public AuthSettings getAuth() {
    return auth;
  }

  @JsonProperty
  public void setAuth(AuthSettings auth) {
    this.auth = auth;
  }

  @JsonProperty
  public FileSettings getFiles() {
    return files;
  }

  @JsonProperty
  public void setFiles(FileSettings files) {
    this.files = files;
  }

  @JsonProperty
  public JobSettings getJobs() {
    return jobs;
  }

  @JsonProperty
  public void setJobs(JobSettings jobs) {
    this.jobs = jobs;
  }

  @JsonProperty
  public HttpSettings getHttp() {
    return http;
  }

  @JsonProperty
  public void setHttp(HttpSettings http) {
    this.http = http;
  }

  @JsonProperty
  public ReleaseSettings getReleases() {
    return releases;
  }

  @JsonProperty
  public void setReleases(ReleaseSettings releases) {
    this.releases = releases;
  }
}
