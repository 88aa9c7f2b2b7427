package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP hardening: the origins CORS admits, the largest request body, HSTS, and {@code
 * trustedProxies}: the address blocks (CIDR) of the load balancers in front of the API, whose
 * {@code X-Forwarded-For} is believed (rightmost untrusted entry); empty (the default) trusts
 * nobody, and the peer's address is the client's.
 */
public class HttpSettings {
  @NotNull private List<@NotNull String> corsAllowedOrigins = new ArrayList<>();
  @NotNull private List<@NotNull String> trustedProxies = new ArrayList<>();
  @NotNull private DataSize maxRequestBody = DataSize.kibibytes(256);
  private boolean hsts = false;

  @JsonProperty
  public List<String> getCorsAllowedOrigins() {
    return corsAllowedOrigins;
  }

  @JsonProperty
  public void setCorsAllowedOrigins(List<String> corsAllowedOrigins) {
    this.corsAllowedOrigins = corsAllowedOrigins;
  }

  @JsonProperty
  public DataSize getMaxRequestBody() {
    return maxRequestBody;
  }

  @JsonProperty
  public void setMaxRequestBody(DataSize maxRequestBody) {
    this.maxRequestBody = maxRequestBody;
  }

  @JsonProperty
  public boolean isHsts() {
    return hsts;
  }

  @JsonProperty
  public void setHsts(boolean hsts) {
    this.hsts = hsts;
  }

  @JsonProperty
  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  @JsonProperty
  public void setTrustedProxies(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }
}
