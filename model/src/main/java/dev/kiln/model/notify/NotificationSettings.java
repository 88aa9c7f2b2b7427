package dev.kiln.model.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * How owners are told about their jobs, as the {@code notifications} section configures it. Shared
 * by the API (webhook checks, unsubscribe links) and the scheduler (sending). Immutable.
 *
 * @param allowLoopbackWebhooks local mode only: webhooks may go to this machine, over plain http
 * @param publicUrl the address of the API as users reach it, for the links in e-mails
 * @param unsubscribeKey the key unsubscribe links are signed with; empty: e-mail has no link and
 *     the API refuses such links
 * @param smtp the mail server; empty: no e-mail is sent
 * @param schedule the retries of webhook deliveries
 * @param connectTimeout how long a webhook's connection may take
 * @param readTimeout how long a webhook's answer may take
 * @param maxResponseBytes how much of a webhook's answer is read
 */
public record NotificationSettings(
    boolean allowLoopbackWebhooks,
    String publicUrl,
    Optional<String> unsubscribeKey,
    Optional<Smtp> smtp,
    DeliverySchedule schedule,
    Duration connectTimeout,
    Duration readTimeout,
    int maxResponseBytes) {

  /** A mail server reached over SMTP with STARTTLS (AWS SES's SMTP endpoint, for one). */
  public record Smtp(
      String host, int port, String username, String password, String from, boolean startTls) {
    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + ", from " + from + "]";
    }
  }

  public WebhookAddressPolicy addressPolicy() {
    return new WebhookAddressPolicy(allowLoopbackWebhooks);
  }

  /** No e-mail, public webhooks only, the default retries. */
  public static NotificationSettings defaults() {
    return new NotificationSettings(
        false,
        "http://localhost:8080",
        Optional.empty(),
        Optional.empty(),
        DeliverySchedule.defaults(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        64 * 1024);
  }
}
