package dev.kiln.api.service;

import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.paging.KeysetPage;
import dev.kiln.client.api.NotificationPreferencesView;
import dev.kiln.client.api.NotificationView;
import dev.kiln.client.api.Page;
import dev.kiln.db.notify.NotificationDao;
import dev.kiln.db.notify.NotificationRow;
import dev.kiln.model.notify.NotificationKind;
import dev.kiln.model.notify.NotificationPreferences;
import dev.kiln.model.notify.UnsubscribeToken;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * An account's in-app notifications (written by the scheduler's notify stage), its e-mail
 * preferences, and the unsubscribe links of e-mails. Thread-safe.
 */
public final class NotificationService {
  private final Jdbi jdbi;
  private final Optional<String> unsubscribeKey;
  private final Clock clock;

  public NotificationService(Jdbi jdbi, Optional<String> unsubscribeKey, Clock clock) {
    this.jdbi = jdbi;
    this.unsubscribeKey = unsubscribeKey;
    this.clock = clock;
  }

  public Page<NotificationView> list(UUID ownerId, boolean unreadOnly, Cursor cursor, int limit) {
    NotificationDao dao = jdbi.onDemand(NotificationDao.class);
    return KeysetPage.fetch(
            cursor,
            limit,
            (createdAt, id, rows) -> dao.page(ownerId, unreadOnly, createdAt, id, rows),
            (NotificationRow row) -> new Cursor(row.createdAt(), row.id()))
        .toPage(NotificationService::view);
  }

  public void markRead(UUID ownerId, UUID id) {
    if (jdbi.onDemand(NotificationDao.class).markRead(ownerId, id, clock.instant()) == 0) {
      throw ApiException.notFound("No notification " + id + " in your account.");
    }
  }

  /** Marks every unread notification read; answers how many were. */
  public int markAllRead(UUID ownerId) {
    return jdbi.onDemand(NotificationDao.class).markAllRead(ownerId, clock.instant());
  }

  public NotificationPreferencesView preferences(UUID accountId) {
    return view(jdbi.onDemand(NotificationDao.class).preferences(accountId));
  }

  public NotificationPreferencesView savePreferences(
      UUID accountId, NotificationPreferencesView wanted) {
    jdbi.onDemand(NotificationDao.class)
        .savePreferences(
            accountId,
            wanted.jobSucceeded(),
            wanted.jobFailed(),
            wanted.budgetWarning(),
            wanted.budgetExceeded());
    return preferences(accountId);
  }

  /** Turns off the kind of e-mail a signed unsubscribe link names; answers that kind. */
  public NotificationKind unsubscribe(String token) {
    String key =
        unsubscribeKey.orElseThrow(
            () ->
                ApiException.notFound(
                    "Unsubscribe links are not in use here; change your e-mail settings in the"
                        + " account page."));
    UnsubscribeToken parsed =
        UnsubscribeToken.verify(key, token)
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "This unsubscribe link is not valid; copy the whole link from the e-mail,"
                            + " or change your e-mail settings in the account page."));
    jdbi.useTransaction(
        handle -> {
          boolean exists =
              handle
                  .createQuery("select id from accounts where id = :id for update")
                  .bind("id", parsed.accountId())
                  .mapTo(UUID.class)
                  .findOne()
                  .isPresent();
          if (!exists) {
            return;
          }
          NotificationDao dao = handle.attach(NotificationDao.class);
          NotificationPreferences next =
              dao.preferences(parsed.accountId()).with(parsed.kind(), false);
          dao.savePreferences(
              parsed.accountId(),
              next.jobSucceeded(),
              next.jobFailed(),
              next.budgetWarning(),
              next.budgetExceeded());
        });
    return parsed.kind();
  }

  private static NotificationView view(NotificationRow row) {
    return new NotificationView(
        row.id(),
        row.kind().name(),
        row.title(),
        row.body(),
        row.jobId(),
        row.createdAt(),
        row.readAt());
  }

  private static NotificationPreferencesView view(NotificationPreferences preferences) {
    return new NotificationPreferencesView(
        preferences.jobSucceeded(),
        preferences.jobFailed(),
        preferences.budgetWarning(),
        preferences.budgetExceeded());
  }
}
