package dev.kiln.scheduler.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.db.notify.NotificationDao;
import dev.kiln.db.notify.WebhookDao;
import dev.kiln.db.notify.WebhookRow;
import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.db.spend.SpendDao;
import dev.kiln.model.OutboxEvent;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.Pricing;
import dev.kiln.model.notify.NotificationKind;
import dev.kiln.model.notify.NotificationPreferences;
import dev.kiln.scheduler.leader.LeaderOnlyPoller.Pass;
import dev.kiln.scheduler.leader.Leadership;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what the outbox's job events are told as: a delivery for each of the owner's enabled
 * webhooks (every event), an in-app notification and an e-mail (succeeded and failed jobs, and the
 * budget thresholds a finished job crosses). Each event is decided in one transaction together with
 * its row in {@code notify_handled_events}, so a crash either leaves the event undecided or decided
 * in full, never half or twice. Used by one poller thread.
 */
public final class OutboxNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxNotifier.class);

  /** How long after an event is written no event with a lower id can still commit. */
  static final Duration SETTLE = Duration.ofMinutes(10);

  /** How long the log of finished webhook deliveries and e-mails is kept. */
  static final Duration KEEP_LOG = Duration.ofDays(30);

  private static final int BATCH = 100;
  private static final int[] BUDGET_PERCENTS = {100, 80};

  private final Jdbi jdbi;
  private final Leadership leadership;
  private final EmailComposer composer;
  private final boolean email;
  private final Pricing pricing;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private long lastCursorMove;

  OutboxNotifier(
      Jdbi jdbi,
      Leadership leadership,
      EmailComposer composer,
      boolean email,
      Pricing pricing,
      Clock clock) {
    this.jdbi = jdbi;
    this.leadership = leadership;
    this.composer = composer;
    this.email = email;
    this.pricing = pricing;
    this.clock = clock;
  }

  /** Decides a batch of events; idle when none was waiting. */
  public Pass decide() {
    List<OutboxEvent> events = jdbi.onDemand(NotifyDao.class).pendingEvents(BATCH);
    for (OutboxEvent event : events) {
      jdbi.useTransaction(handle -> decide(handle, event));
    }
    moveCursorNowAndThen();
    return Pass.of(events.size(), events.size() == BATCH);
  }

  private void decide(Handle handle, OutboxEvent event) {
    leadership.fence(handle);
    Instant now = clock.instant();
    NotifyDao dao = handle.attach(NotifyDao.class);
    if (dao.markHandled(event.id(), now) == 0 || !dao.accountExists(event.ownerId())) {
      // Decided before, or the account is gone (its webhooks and notifications with it).
      return;
    }
    String eventId = "evt_" + event.id();
    String body = webhookBody(event);
    WebhookDao webhooks = handle.attach(WebhookDao.class);
    for (WebhookRow webhook : webhooks.enabled(event.ownerId())) {
      webhooks.addDelivery(
          UUID.randomUUID(), webhook.id(), eventId, event.type().wireName(), body, now);
    }
    List<Notice> notices = new ArrayList<>();
    NotificationKind.of(event.type()).ifPresent(kind -> notices.add(jobNotice(kind, event)));
    if (ends(event.type())) {
      notices.addAll(budgetNotices(handle, event.ownerId(), now));
    }
    for (Notice notice : notices) {
      tell(handle, notice, now);
    }
  }

  /** Events after which a job spends no more: the moments to compare spend with the budget. */
  private static boolean ends(OutboxEventType type) {
    return type == OutboxEventType.SUCCEEDED
        || type == OutboxEventType.FAILED
        || type == OutboxEventType.CANCELLED;
  }

  private void tell(Handle handle, Notice message, Instant now) {
    handle
        .attach(NotificationDao.class)
        .insert(
            UUID.randomUUID(),
            message.ownerId(),
            message.kind(),
            message.title(),
            message.body(),
            message.jobId(),
            now);
    if (!email) {
      return;
    }
    NotificationPreferences preferences =
        handle.attach(NotificationDao.class).preferences(message.ownerId());
    NotifyDao dao = handle.attach(NotifyDao.class);
    Optional<String> recipient = dao.recipient(message.ownerId());
    if (preferences.allows(message.kind()) && recipient.isPresent()) {
      EmailComposer.Email mail = composer.compose(message);
      dao.addEmail(
          UUID.randomUUID(),
          message.ownerId(),
          message.kind(),
          recipient.get(),
          mail.subject(),
          mail.text(),
          mail.html(),
          mail.unsubscribeUrl(),
          now);
    }
  }

  private Notice jobNotice(NotificationKind kind, OutboxEvent event) {
    String shortId = event.jobId().toString().substring(0, 8);
    if (kind == NotificationKind.JOB_SUCCEEDED) {
      return new Notice(
          kind,
          event.ownerId(),
          event.jobId(),
          "Job " + shortId + " succeeded",
          "Job " + event.jobId() + " succeeded; its outputs are ready to download.");
    }
    String reason = payloadText(event, "reason").orElse("no reason was recorded");
    return new Notice(
        kind,
        event.ownerId(),
        event.jobId(),
        "Job " + shortId + " failed",
        "Job " + event.jobId() + " failed: " + reason);
  }

  /** The budget thresholds this month's spend has reached and that were not told this month. */
  private List<Notice> budgetNotices(Handle handle, UUID ownerId, Instant now) {
    NotifyDao dao = handle.attach(NotifyDao.class);
    Optional<BigDecimal> budget = dao.monthlyBudget(ownerId);
    if (budget.isEmpty() || budget.get().signum() <= 0) {
      return List.of();
    }
    Instant monthStart = BudgetCheck.monthStart(now);
    double spent =
        pricing.costUsd(
            handle.attach(SpendDao.class).accountAgentSeconds(ownerId, monthStart, now));
    double limit = budget.get().doubleValue();
    LocalDate month = LocalDate.ofInstant(monthStart, ZoneOffset.UTC);
    List<Notice> notices = new ArrayList<>();
    for (int percent : BUDGET_PERCENTS) {
      if (spent >= limit * percent / 100.0
          && dao.addBudgetAlert(ownerId, month, percent, now) > 0) {
        notices.add(budgetNotice(ownerId, percent, spent, limit));
        if (percent == 100) {
          // Reaching the budget also passes 80 %: record it so it is not told afterwards.
          dao.addBudgetAlert(ownerId, month, 80, now);
          break;
        }
      }
    }
    return notices;
  }

  private static Notice budgetNotice(UUID ownerId, int percent, double spent, double limit) {
    String amounts = String.format(Locale.ROOT, "$%.2f of your $%.2f", spent, limit);
    if (percent == 100) {
      return new Notice(
          NotificationKind.BUDGET_EXCEEDED,
          ownerId,
          null,
          "Monthly budget reached",
          "Your jobs have spent "
              + amounts
              + " monthly budget. New jobs are refused until next month or until an admin"
              + " raises the budget.");
    }
    return new Notice(
        NotificationKind.BUDGET_WARNING,
        ownerId,
        null,
        "80 % of the monthly budget spent",
        "Your jobs have spent " + amounts + " monthly budget this month.");
  }

  /** The body posted to webhooks: {@code {"type", "timestamp", "data": {"jobId", ...}}}. */
  private String webhookBody(OutboxEvent event) {
    ObjectNode root = json.createObjectNode();
    root.put("type", event.type().wireName());
    root.put("timestamp", event.createdAt().toString());
    ObjectNode data = root.putObject("data");
    data.put("jobId", event.jobId().toString());
    try {
      if (event.payloadJson() != null && !event.payloadJson().isBlank()) {
        if (json.readTree(event.payloadJson()) instanceof ObjectNode payload) {
          payload.fields().forEachRemaining(field -> data.set(field.getKey(), field.getValue()));
        }
      }
    } catch (JsonProcessingException e) {
      // The column is jsonb, so this does not happen; an event is still told without its payload.
      LOG.warn("outbox event {} has a payload that is not JSON; sent without it", event.id());
    }
    try {
      return json.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Optional<String> payloadText(OutboxEvent event, String field) {
    try {
      return Optional.ofNullable(json.readTree(event.payloadJson()).get(field))
          .map(node -> node.asText())
          .filter(text -> !text.isBlank());
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Once a minute, moves the cursor over settled events so the pending query stays short, and
   * forgets the deliveries and e-mails finished more than {@link #KEEP_LOG} ago.
   */
  private void moveCursorNowAndThen() {
    long now = clock.millis();
    if (now - lastCursorMove < 60_000) {
      return;
    }
    lastCursorMove = now;
    jdbi.useTransaction(
        handle -> {
          leadership.fence(handle);
          NotifyDao dao = handle.attach(NotifyDao.class);
          dao.advanceCursor(clock.instant().minus(SETTLE));
          dao.forgetBelowCursor();
          dao.forgetDeliveries(clock.instant().minus(KEEP_LOG));
          dao.forgetEmails(clock.instant().minus(KEEP_LOG));
        });
  }
}
