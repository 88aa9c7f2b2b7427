package dev.kiln.model.release;

import java.time.Instant;
import java.util.Objects;

/**
 * One release step as the operator console shows it: who did what, when, and how it ended.
 *
 * @param id unique id of the record
 * @param at when the step ended
 * @param actor OS user or {@code --actor}
 * @param action {@code bake}, {@code deploy} or {@code rollback}
 * @param role {@code web} or {@code gpu}
 * @param ami the image deployed or baked, {@code null} for a rollback that did not need one
 * @param fromColor the color live before (web only)
 * @param toColor the color live after (web only)
 * @param outcome how it ended
 * @param reason a sentence that explains the outcome
 */
public record ReleaseRecord(
    String id,
    Instant at,
    String actor,
    String action,
    String role,
    String ami,
    String fromColor,
    String toColor,
    Outcome outcome,
    String reason) {

  public ReleaseRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(outcome, "outcome");
  }
}
