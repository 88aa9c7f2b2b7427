package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * Authentication settings. {@code jwtKeys}: HMAC secrets of at least 32 characters; the first signs
 * new tokens, every one verifies (add a new key first, drop the old one after a token lifetime).
 * {@code accountStateTtl}: how long a process keeps an account's authentication state between
 * reads; changes reach every process at once through Redis, so this only bounds a lost message.
 */
public class AuthSettings {
  @NotEmpty private List<@NotNull @Size(min = 32) String> jwtKeys = new ArrayList<>();
  @NotNull private Duration accessTokenTtl = Duration.minutes(15);

  /** How long a browser session lasts without being used (its refresh token's lifetime). */
  @NotNull private Duration refreshTokenTtl = Duration.days(14);

  @Min(12)
  @Max(16)
  private int bcryptCost = 12;

  /** Failed logins (per account and per address) allowed before each attempt must wait. */
  @Min(1)
  private int freeLoginFailures = 5;

  /** Failed logins from one address (any account) allowed before each attempt must wait. */
  @Min(1)
  private int freeLoginFailuresPerAddress = 50;

  /** How long failures are remembered: the longest any backoff can last. */
  @NotNull private Duration loginFailureWindow = Duration.minutes(15);

  /** The wait after the first failure beyond the free ones; each further failure doubles it. */
  @NotNull private Duration firstLoginBackoff = Duration.seconds(1);

  @NotNull private Duration maxLoginBackoff = Duration.minutes(5);

  @NotNull private Duration accountStateTtl = Duration.seconds(5);

  /** Sign-ups allowed from one client address in each {@code signupWindow}. */
  @Min(1)
  private int signupsPerAddress = 20;

  @NotNull private Duration signupWindow = Duration.hours(1);

  /**
   * The first administrator's address, made at start while there is no administrator (see {@code
   * FirstAdmin}); blank for none.
   */
  private String bootstrapAdminEmail = "";

  /** Its one-time password (an SSM SecureString parameter on AWS); blank for none. */
  private String bootstrapAdminPassword = "";

  @JsonProperty
  public String getBootstrapAdminEmail() {
    return bootstrapAdminEmail;
  }

  @JsonProperty
  public void setBootstrapAdminEmail(String bootstrapAdminEmail) {
    this.bootstrapAdminEmail = bootstrapAdminEmail == null ? "" : bootstrapAdminEmail;
  }

  @JsonProperty
  public String getBootstrapAdminPassword() {
    return bootstrapAdminPassword;
  }

  @JsonProperty
  public void setBootstrapAdminPassword(String bootstrapAdminPassword) {
    this.bootstrapAdminPassword = bootstrapAdminPassword == null ? "" : bootstrapAdminPassword;
  }

  @JsonProperty
  public List<String> getJwtKeys() {
    return jwtKeys;
  }

  @JsonProperty
  public void setJwtKeys(List<String> jwtKeys) {
    this.jwtKeys = jwtKeys;
  }

  @JsonProperty
  public Duration getAccessTokenTtl() {
    return accessTokenTtl;
  }

  @JsonProperty
  public void setAccessTokenTtl(Duration accessTokenTtl) {
    this.accessTokenTtl = accessTokenTtl;
  }

  @JsonProperty
  public Duration getRefreshTokenTtl() {
    return refreshTokenTtl;
  }

  @JsonProperty
  public void setRefreshTokenTtl(Duration refreshTokenTtl) {
    this.refreshTokenTtl = refreshTokenTtl;
  }

  @JsonProperty
  public int getBcryptCost() {
    return bcryptCost;
  }

  @JsonProperty
  public void setBcryptCost(int bcryptCost) {
    this.bcryptCost = bcryptCost;
  }

  @JsonProperty
  public int getFreeLoginFailures() {
    return freeLoginFailures;
  }

  @JsonProperty
  public void setFreeLoginFailures(int freeLoginFailures) {
    this.freeLoginFailures = freeLoginFailures;
  }

  @JsonProperty
  public int getFreeLoginFailuresPerAddress() {
    return freeLoginFailuresPerAddress;
  }

  @JsonProperty
  public void setFreeLoginFailuresPerAddress(int freeLoginFailuresPerAddress) {
    this.freeLoginFailuresPerAddress = freeLoginFailuresPerAddress;
  }

  @JsonProperty
  public Duration getLoginFailureWindow() {
    return loginFailureWindow;
  }

  @JsonProperty
  public void setLoginFailureWindow(Duration loginFailureWindow) {
    this.loginFailureWindow = loginFailureWindow;
  }

  @JsonProperty
  public Duration getFirstLoginBackoff() {
    return firstLoginBackoff;
  }

  @JsonProperty
  public void setFirstLoginBackoff(Duration firstLoginBackoff) {
    this.firstLoginBackoff = firstLoginBackoff;
  }

  @JsonProperty
  public Duration getMaxLoginBackoff() {
    return maxLoginBackoff;
  }

  @JsonProperty
  public void setMaxLoginBackoff(Duration maxLoginBackoff) {
    this.maxLoginBackoff = maxLoginBackoff;
  }

  @JsonProperty
  public Duration getAccountStateTtl() {
    return accountStateTtl;
  }

  @JsonProperty
  public void setAccountStateTtl(Duration accountStateTtl) {
    this.accountStateTtl = accountStateTtl;
  }

  @JsonProperty
  public int getSignupsPerAddress() {
    return signupsPerAddress;
  }

  @JsonProperty
  public void setSignupsPerAddress(int signupsPerAddress) {
    this.signupsPerAddress = signupsPerAddress;
  }

  @JsonProperty
  public Duration getSignupWindow() {
    return signupWindow;
  }

  @JsonProperty
  public void setSignupWindow(Duration signupWindow) {
    this.signupWindow = signupWindow;
  }
}
