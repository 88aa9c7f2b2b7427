package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.dropwizard.KilnServiceConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The API server's configuration: one section per external dependency plus the API's own. */
public class KilnApiConfiguration extends KilnServiceConfiguration {
  @Valid @NotNull private AuthSettings auth = new AuthSettings();
  @Valid @NotNull private FileSettings files = new FileSettings();
  @Valid @NotNull private JobSettings jobs = new JobSettings();
  @Valid @NotNull private HttpSettings http = new HttpSettings();
  @Valid @NotNull private ReleaseSettings releases = new ReleaseSettings();
  @Valid @NotNull private EventStreamSettings events = new EventStreamSettings();
  @Valid @NotNull private CreditSettings credits = new CreditSettings();

  @JsonProperty
  public CreditSettings getCredits() {
    return credits;
  }

  @JsonProperty
  public void setCredits(CreditSettings credits) {
    this.credits = credits;
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

  @JsonProperty
  public EventStreamSettings getEvents() {
    return events;
  }

  @JsonProperty
  public void setEvents(EventStreamSettings events) {
    this.events = events;
  }
}
