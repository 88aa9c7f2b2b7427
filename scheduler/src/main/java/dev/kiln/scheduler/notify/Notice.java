package dev.kiln.scheduler.notify;

import dev.kiln.model.notify.NotificationKind;
import java.util.UUID;

/**
 * What an owner is told, before it becomes an in-app notification and an e-mail. Immutable.
 *
 * @param jobId the job it is about; null for budget notices
 */
record Notice(NotificationKind kind, UUID ownerId, UUID jobId, String title, String body) {}
