package dev.kiln.scheduler.notify;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.model.Pricing;
import dev.kiln.model.notify.NotificationSettings;
import dev.kiln.model.notify.WebhookTarget;
import dev.kiln.scheduler.leader.LeaderOnlyPoller;
import dev.kiln.scheduler.leader.Leadership;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLSocketFactory;
import org.jdbi.v3.core.Jdbi;

/**
 * The notify stage: three leader-only pollers, one deciding what the outbox's events are told as
 * ({@link OutboxNotifier}), one delivering webhooks ({@link WebhookDeliverer}) and, when a mail
 * server is configured, one sending e-mail ({@link MailSender}). Started and stopped with the
 * scheduler it follows the leadership of. Thread-safe.
 */
public final class Notifier implements AutoCloseable {
  private final List<LeaderOnlyPoller> pollers = new ArrayList<>();

  public Notifier(
      Jdbi jdbi,
      Leadership leadership,
      NotificationSettings settings,
      Pricing pricing,
      Duration tick,
      Clock clock,
      MetricRegistry metrics) {
    this(jdbi, leadership, settings, pricing, tick, clock, metrics, InetAddress::getAllByName);
  }

  /** As above, with the name lookup given (tests resolve names of their own). */
  public Notifier(
      Jdbi jdbi,
      Leadership leadership,
      NotificationSettings settings,
      Pricing pricing,
      Duration tick,
      Clock clock,
      MetricRegistry metrics,
      WebhookTarget.Resolver resolver) {
    DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    WebhookDeliverer deliverer =
        new WebhookDeliverer(
            jdbi,
            new WebhookClient(
                settings.connectTimeout(),
                settings.readTimeout(),
                settings.maxResponseBytes(),
                (SSLSocketFactory) SSLSocketFactory.getDefault()),
            settings.addressPolicy(),
            resolver,
            settings.schedule(),
            leadership,
            clock,
            random);
    LeaderOnlyPoller webhooks =
        new LeaderOnlyPoller(
            "webhooks", tick, leadership::isLeader, deliverer::deliverDue, metrics);
    LeaderOnlyPoller mail =
        settings
            .smtp()
            .map(
                smtp ->
                    new LeaderOnlyPoller(
                        "email",
                        tick,
                        leadership::isLeader,
                        new MailSender(jdbi, smtp, settings.schedule(), leadership, clock, random)
                            ::sendDue,
                        metrics))
            .orElse(null);
    OutboxNotifier notifier =
        new OutboxNotifier(
            jdbi,
            leadership,
            new EmailComposer(settings.publicUrl(), settings.unsubscribeKey()),
            mail != null,
            pricing,
            clock);
    pollers.add(
        new LeaderOnlyPoller(
            "notify",
            tick,
            leadership::isLeader,
            () -> {
              boolean more = notifier.decide();
              webhooks.wake();
              if (mail != null) {
                mail.wake();
              }
              return more;
            },
            metrics));
    pollers.add(webhooks);
    if (mail != null) {
      pollers.add(mail);
    }
  }

  public void start() {
    pollers.forEach(LeaderOnlyPoller::start);
  }

  /** Stops the pollers; an attempt under way is recorded before its poller ends. */
  @Override
  public void close() {
    pollers.forEach(LeaderOnlyPoller::stop);
  }
}
