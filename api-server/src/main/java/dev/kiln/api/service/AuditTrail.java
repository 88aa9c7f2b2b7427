package dev.kiln.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.db.AuditDao;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes operator actions to the audit log, alone or inside a caller's transaction. Thread-safe.
 */
public final class AuditTrail {
  private final AuditDao audit;
  private final ObjectMapper json;
  private final Clock clock;

  public AuditTrail(Jdbi jdbi, ObjectMapper json, Clock clock) {
    this.audit = jdbi.onDemand(AuditDao.class);
    this.json = json;
    this.clock = clock;
  }

  /** Records that {@code admin} did {@code action} to a target, in its own transaction. */
  public void record(
      KilnPrincipal admin,
      String action,
      String targetType,
      String targetId,
      Map<String, ?> detail) {
    audit.append(admin.accountId(), action, targetType, targetId, detail(detail), clock.instant());
  }

  /** Records the action inside {@code handle}'s transaction, so it stands or falls with it. */
  public void record(
      Handle handle,
      KilnPrincipal admin,
      String action,
      String targetType,
      String targetId,
      Map<String, ?> detail) {
    handle
        .attach(AuditDao.class)
        .append(admin.accountId(), action, targetType, targetId, detail(detail), clock.instant());
  }

  /** The detail as the JSON text the log keeps. */
  public String detail(Map<String, ?> detail) {
    try {
      return json.writeValueAsString(detail);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit detail always serialises", e);
    }
  }
}
