package dev.kiln.dropwizard;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.model.notify.DeliverySchedule;
import dev.kiln.model.notify.NotificationSettings;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Optional;

/**
 * The {@code notifications} section both services read: webhook rules (the API checks a webhook's
 * address at creation, the scheduler again at each delivery), the key of unsubscribe links (the
 * scheduler signs, the API checks) and the mail server (the scheduler sends). E-mail is off while
 * {@code smtp.host} is blank.
 */
public class NotificationsSettings {
  private static final NotificationSettings DEFAULTS = NotificationSettings.defaults();

  /** Local mode only: webhooks may go to this machine, over plain http too. */
  private boolean allowLoopbackWebhooks;

  /** The API's address as users reach it, for the links in e-mails. */
  @NotBlank private String publicUrl = DEFAULTS.publicUrl();

  /** The key unsubscribe links are signed with, at least 32 characters; blank: no such links. */
  private String unsubscribeKey = "";

  @Valid @NotNull private Smtp smtp = new Smtp();
  @NotNull private Duration firstRetry = duration(DEFAULTS.schedule().firstRetry());
  @NotNull private Duration longestRetryWait = duration(DEFAULTS.schedule().longestWait());
  @NotNull private Duration giveUpAfter = duration(DEFAULTS.schedule().giveUpAfter());
  @NotNull private Duration disableAfter = duration(DEFAULTS.schedule().disableAfter());
  @NotNull private Duration connectTimeout = duration(DEFAULTS.connectTimeout());
  @NotNull private Duration readTimeout = duration(DEFAULTS.readTimeout());

  @Min(1024)
  @Max(10 * 1024 * 1024)
  private int maxResponseBytes = DEFAULTS.maxResponseBytes();

  /**
   * The mail server, e.g. AWS SES's SMTP endpoint {@code email-smtp.<region>.amazonaws.com:587}.
   */
  public static class Smtp {
    private String host = "";

    @Min(1)
    @Max(65535)
    private int port = 587;

    private String username = "";
    private String password = "";
    private String from = "kiln@localhost";
    private boolean startTls = true;

    @JsonProperty
    public String getHost() {
      return host;
    }

    @JsonProperty
    public void setHost(String host) {
      this.host = host == null ? "" : host;
    }

    @JsonProperty
    public int getPort() {
      return port;
    }

    @JsonProperty
    public void setPort(int port) {
      this.port = port;
    }

    @JsonProperty
    public String getUsername() {
      return username;
    }

    @JsonProperty
    public void setUsername(String username) {
      this.username = username == null ? "" : username;
    }

    @JsonProperty
    public String getPassword() {
      return password;
    }

    @JsonProperty
    public void setPassword(String password) {
      this.password = password == null ? "" : password;
    }

    @JsonProperty
    public String getFrom() {
      return from;
    }

    @JsonProperty
    public void setFrom(String from) {
      this.from = from;
    }

    @JsonProperty
    public boolean isStartTls() {
      return startTls;
    }

    @JsonProperty
    public void setStartTls(boolean startTls) {
      this.startTls = startTls;
    }
  }

  /** These values as the record the services hand on. */
  public NotificationSettings settings() {
    if (!unsubscribeKey.isBlank() && unsubscribeKey.length() < 32) {
      throw new IllegalArgumentException(
          "notifications.unsubscribeKey must be at least 32 characters long.");
    }
    Optional<NotificationSettings.Smtp> mail =
        smtp.getHost().isBlank()
            ? Optional.empty()
            : Optional.of(
                new NotificationSettings.Smtp(
                    smtp.getHost(),
                    smtp.getPort(),
                    smtp.getUsername(),
                    smtp.getPassword(),
                    smtp.getFrom(),
                    smtp.isStartTls()));
    return new NotificationSettings(
        allowLoopbackWebhooks,
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl,
        unsubscribeKey.isBlank() ? Optional.empty() : Optional.of(unsubscribeKey),
        mail,
        new DeliverySchedule(
            firstRetry.toJavaDuration(),
            longestRetryWait.toJavaDuration(),
            giveUpAfter.toJavaDuration(),
            disableAfter.toJavaDuration()),
        connectTimeout.toJavaDuration(),
        readTimeout.toJavaDuration(),
        maxResponseBytes);
  }

  @JsonProperty
  public boolean isAllowLoopbackWebhooks() {
    return allowLoopbackWebhooks;
  }

  @JsonProperty
  public void setAllowLoopbackWebhooks(boolean allowLoopbackWebhooks) {
    this.allowLoopbackWebhooks = allowLoopbackWebhooks;
  }

  @JsonProperty
  public String getPublicUrl() {
    return publicUrl;
  }

  @JsonProperty
  public void setPublicUrl(String publicUrl) {
    this.publicUrl = publicUrl;
  }

  @JsonProperty
  public String getUnsubscribeKey() {
    return unsubscribeKey;
  }

  @JsonProperty
  public void setUnsubscribeKey(String unsubscribeKey) {
    this.unsubscribeKey = unsubscribeKey == null ? "" : unsubscribeKey;
  }

  @JsonProperty
  public Smtp getSmtp() {
    return smtp;
  }

  @JsonProperty
  public void setSmtp(Smtp smtp) {
    this.smtp = smtp;
  }

  @JsonProperty
  public Duration getFirstRetry() {
    return firstRetry;
  }

  @JsonProperty
  public void setFirstRetry(Duration firstRetry) {
    this.firstRetry = firstRetry;
  }

  @JsonProperty
  public Duration getLongestRetryWait() {
    return longestRetryWait;
  }

  @JsonProperty
  public void setLongestRetryWait(Duration longestRetryWait) {
    this.longestRetryWait = longestRetryWait;
  }

  @JsonProperty
  public Duration getGiveUpAfter() {
    return giveUpAfter;
  }

  @JsonProperty
  public void setGiveUpAfter(Duration giveUpAfter) {
    this.giveUpAfter = giveUpAfter;
  }

  @JsonProperty
  public Duration getDisableAfter() {
    return disableAfter;
  }

  @JsonProperty
  public void setDisableAfter(Duration disableAfter) {
    this.disableAfter = disableAfter;
  }

  @JsonProperty
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  @JsonProperty
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  @JsonProperty
  public Duration getReadTimeout() {
    return readTimeout;
  }

  @JsonProperty
  public void setReadTimeout(Duration readTimeout) {
    this.readTimeout = readTimeout;
  }

  @JsonProperty
  public int getMaxResponseBytes() {
    return maxResponseBytes;
  }

  @JsonProperty
  public void setMaxResponseBytes(int maxResponseBytes) {
    this.maxResponseBytes = maxResponseBytes;
  }

  private static Duration duration(java.time.Duration duration) {
    return Duration.milliseconds(duration.toMillis());
  }
}
