package dev.kiln.scheduler.notify;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.model.Pricing;
import dev.kiln.model.notify.NotificationSettings;
import dev.kiln.model.notify.WebhookTarget;
import dev.kiln.scheduler.leader.LeaderOnlyPoller;
import dev.kiln.scheduler.leader.LeaderOnlyPoller.Pass;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.outbox.WorkSignals;
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

  /** A notify stage woken by {@code signals} whenever work is added to the database. */
  public Notifier(
      Jdbi jdbi,
      Leadership leadership,
      WorkSignals signals,
      NotificationSettings settings,
      Pricing pricing,
      Duration tick,
      Clock clock,
      MetricRegistry metrics) {
    this(
        jdbi,
        leadership,
        signals,
        settings,
        pricing,
        tick,
        clock,
        metrics,
        InetAddress::getAllByName);
  }

  /** As above, with the name lookup given (tests resolve names of their own). */
  public Notifier(
      Jdbi jdbi,
      Leadership leadership,
      WorkSignals signals,
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
        LeaderOnlyPoller.wakeable(
            "webhooks", tick, leadership::isLeader, deliverer::deliverDue, metrics);
    LeaderOnlyPoller mail =
        settings
            .smtp()
            .map(
                smtp ->
                    LeaderOnlyPoller.wakeable(
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
        LeaderOnlyPoller.wakeable(
            "notify",
            tick,
            leadership::isLeader,
            () -> {
              Pass pass = notifier.decide();
              if (pass != Pass.IDLE) {
                webhooks.wake();
                if (mail != null) {
                  mail.wake();
                }
              }
              return pass;
            },
            metrics));
    pollers.add(webhooks);
    if (mail != null) {
      pollers.add(mail);
    }
    signals.subscribe(this::wake);
  }

  public void start() {
    pollers.forEach(LeaderOnlyPoller::start);
  }

  /** Looks at once for events to decide and deliveries due (work was added). */
  private void wake() {
    pollers.forEach(LeaderOnlyPoller::wake);
  }

  /** Stops the pollers; an attempt under way is recorded before its poller ends. */
  @Override
  public void close() {
    pollers.forEach(LeaderOnlyPoller::stop);
  }
}
