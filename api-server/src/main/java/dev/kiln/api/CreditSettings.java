package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.payments.LocalPayments;
import dev.kiln.api.payments.PaymentProvider;
import dev.kiln.api.payments.StripeCheckout;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@code credits} section: prepaid credits. With {@code required: true} a submission reserves
 * its estimated cost ({@code secondsPerShard} agent-seconds per shard at the agent price) from the
 * owner's credits, or is refused (402). {@code provider} sells credits: {@code none}, {@code
 * stripe} (Stripe Checkout and its signed webhooks) or {@code local} (a fake checkout for {@code
 * ./kiln up}, no money moves). Admins grant credits whatever the provider. {@code signupCreditsUsd}
 * is granted to every account made by sign-up (default none), so a newcomer can try a job before
 * buying.
 */
public class CreditSettings {
  private boolean required = false;

  @DecimalMin("0")
  private double secondsPerShard = 120;

  @NotNull
  @DecimalMin("0")
  private BigDecimal signupCreditsUsd = BigDecimal.ZERO;

  @NotNull
  @Pattern(regexp = "none|stripe|local")
  private String provider = "none";

  private String stripeApiBase = "https://api.stripe.com";
  private String stripeSecretKey;
  private String stripeWebhookSecret;
  private String successUrl = "http://localhost:8080/#/credits?paid=1";
  private String cancelUrl = "http://localhost:8080/#/credits";

  @JsonIgnore
  @ValidationMethod(
      message = "credits.provider stripe needs stripeSecretKey and stripeWebhookSecret")
  public boolean isStripeConfigured() {
    return !provider.equals("stripe")
        || (notBlank(stripeSecretKey) && notBlank(stripeWebhookSecret));
  }

  /** The configured provider; empty for {@code none}. */
  public Optional<PaymentProvider> provider(ObjectMapper json, Clock clock) {
    return switch (provider) {
      case "stripe" ->
          Optional.of(
              new StripeCheckout(
                  URI.create(stripeApiBase),
                  stripeSecretKey,
                  stripeWebhookSecret,
                  successUrl,
                  cancelUrl,
                  json,
                  clock));
      case "local" -> Optional.of(new LocalPayments("", json, clock));
      default -> Optional.empty();
    };
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }

  @JsonProperty
  public boolean isRequired() {
    return required;
  }

  @JsonProperty
  public void setRequired(boolean required) {
    this.required = required;
  }

  @JsonProperty
  public double getSecondsPerShard() {
    return secondsPerShard;
  }

  @JsonProperty
  public void setSecondsPerShard(double secondsPerShard) {
    this.secondsPerShard = secondsPerShard;
  }

  @JsonProperty
  public BigDecimal getSignupCreditsUsd() {
    return signupCreditsUsd;
  }

  @JsonProperty
  public void setSignupCreditsUsd(BigDecimal signupCreditsUsd) {
    this.signupCreditsUsd = signupCreditsUsd;
  }

  @JsonProperty
  public String getProvider() {
    return provider;
  }

  @JsonProperty
  public void setProvider(String provider) {
    this.provider = provider;
  }

  @JsonProperty
  public String getStripeApiBase() {
    return stripeApiBase;
  }

  @JsonProperty
  public void setStripeApiBase(String stripeApiBase) {
    this.stripeApiBase = stripeApiBase;
  }

  @JsonProperty
  public String getStripeSecretKey() {
    return stripeSecretKey;
  }

  @JsonProperty
  public void setStripeSecretKey(String stripeSecretKey) {
    this.stripeSecretKey = stripeSecretKey;
  }

  @JsonProperty
  public String getStripeWebhookSecret() {
    return stripeWebhookSecret;
  }

  @JsonProperty
  public void setStripeWebhookSecret(String stripeWebhookSecret) {
    this.stripeWebhookSecret = stripeWebhookSecret;
  }

  @JsonProperty
  public String getSuccessUrl() {
    return successUrl;
  }

  @JsonProperty
  public void setSuccessUrl(String successUrl) {
    this.successUrl = successUrl;
  }

  @JsonProperty
  public String getCancelUrl() {
    return cancelUrl;
  }

  @JsonProperty
  public void setCancelUrl(String cancelUrl) {
    this.cancelUrl = cancelUrl;
  }
}
