package dev.kiln.scheduler.notify;

import dev.kiln.model.notify.DeliverySchedule;
import dev.kiln.model.notify.WebhookAddressPolicy;
import dev.kiln.model.notify.WebhookSignature;
import dev.kiln.model.notify.WebhookTarget;
import dev.kiln.scheduler.leader.LeaderOnlyPoller.Pass;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.notify.NotifyDao.DueDelivery;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the webhook deliveries whose time has come, each signed as Standard Webhooks specifies, and
 * records every attempt with its status code and duration: a 2xx delivers, anything else is tried
 * again on the {@link DeliverySchedule} until it gives up, and a webhook that only failed for the
 * schedule's {@code disableAfter} is disabled. The address is checked again before each attempt and
 * the request goes to the address checked. Used by one poller thread.
 */
public final class WebhookDeliverer {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliverer.class);
  private static final int BATCH = 20;

  private final Jdbi jdbi;
  private final WebhookClient client;
  private final WebhookAddressPolicy policy;
  private final WebhookTarget.Resolver resolver;
  private final DeliverySchedule schedule;
  private final Leadership leadership;
  private final Clock clock;
  private final DoubleSupplier random;

  public WebhookDeliverer(
      Jdbi jdbi,
      WebhookClient client,
      WebhookAddressPolicy policy,
      WebhookTarget.Resolver resolver,
      DeliverySchedule schedule,
      Leadership leadership,
      Clock clock,
      DoubleSupplier random) {
    this.jdbi = jdbi;
    this.client = client;
    this.policy = policy;
    this.resolver = resolver;
    this.schedule = schedule;
    this.leadership = leadership;
    this.clock = clock;
    this.random = random;
  }

  /** Sends one batch of due deliveries; idle when no delivery waits, now or later. */
  public Pass deliverDue() {
    NotifyDao dao = jdbi.onDemand(NotifyDao.class);
    List<DueDelivery> due = dao.dueDeliveries(clock.instant(), BATCH);
    if (due.isEmpty()) {
      return dao.deliveriesPending() ? Pass.DONE : Pass.IDLE;
    }
    for (DueDelivery delivery : due) {
      WebhookClient.Outcome outcome = attempt(delivery);
      // The answer is recorded even when the poller is being stopped meanwhile, so an event the
      // receiver got is not sent again by the next process.
      boolean interrupted = Thread.interrupted();
      try {
        record(delivery, outcome);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (interrupted) {
        return Pass.DONE;
      }
    }
    return Pass.of(due.size() == BATCH);
  }

  private WebhookClient.Outcome attempt(DueDelivery delivery) {
    WebhookTarget target;
    try {
      target = WebhookTarget.check(delivery.url(), policy, resolver);
    } catch (WebhookTarget.RefusedException e) {
      return new WebhookClient.Outcome(null, "not sent: " + e.getMessage(), 0);
    }
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(WebhookSignature.ID_HEADER, delivery.eventId());
    headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
    headers.put(
        WebhookSignature.SIGNATURE_HEADER,
        WebhookSignature.sign(delivery.secret(), delivery.eventId(), timestamp, delivery.body()));
    return client.post(target, headers, delivery.body());
  }

  private void record(DueDelivery delivery, WebhookClient.Outcome outcome) {
    Instant now = clock.instant();
    jdbi.useTransaction(
        handle -> {
          leadership.fence(handle);
          NotifyDao dao = handle.attach(NotifyDao.class);
          dao.addAttempt(
              delivery.id(),
              now,
              outcome.statusCode(),
              outcome.durationMs(),
              outcome.error() == null ? null : abbreviate(outcome.error()));
          if (outcome.succeeded()) {
            dao.delivered(delivery.id(), now);
            dao.webhookSucceeded(delivery.webhookId());
            return;
          }
          Optional<Instant> next =
              schedule.nextAttempt(
                  delivery.createdAt(), delivery.attempts() + 1, now, random.getAsDouble());
          if (next.isPresent()) {
            dao.retryAt(delivery.id(), next.get());
          } else {
            dao.gaveUp(delivery.id(), now);
          }
          dao.webhookFailed(delivery.webhookId(), now);
          Instant failingSince = delivery.failingSince() == null ? now : delivery.failingSince();
          if (schedule.disables(failingSince, now)) {
            dao.disableWebhook(
                delivery.webhookId(),
                now,
                "Every delivery since " + failingSince + " failed; enable it again once it works.");
            LOG.info(
                "disabled webhook {} after failures since {}", delivery.webhookId(), failingSince);
          }
        });
  }

  private static String abbreviate(String text) {
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }
}
