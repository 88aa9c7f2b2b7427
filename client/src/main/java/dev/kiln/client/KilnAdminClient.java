package dev.kiln.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.client.api.AccountBudgetView;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.AuditEntryView;
import dev.kiln.client.api.BudgetRequest;
import dev.kiln.client.api.FleetView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The operator API ({@code /api/v1/admin/**}) through a {@link KilnClient} logged in as an admin.
 * Thread-safe as its client is.
 */
public final class KilnAdminClient {
  private final KilnClient client;

  KilnAdminClient(KilnClient client) {
    this.client = client;
  }

  /** One page of accounts with their usage, budget and spend. */
  public Page<AccountSummaryView> accounts(String cursor, Integer limit) {
    return client.send(
        "GET",
        "/api/v1/admin/accounts" + KilnClient.query("cursor", cursor, "limit", limit),
        null,
        new TypeReference<Page<AccountSummaryView>>() {});
  }

  /** Disables an account: its tokens and keys stop working at once. */
  public void disable(UUID accountId) {
    client.send("POST", "/api/v1/admin/accounts/" + accountId + "/disable", null, Void.class);
  }

  public void enable(UUID accountId) {
    client.send("POST", "/api/v1/admin/accounts/" + accountId + "/enable", null, Void.class);
  }

  /** Sets an account's monthly budget in USD; {@code null} lifts it. */
  public AccountBudgetView setBudget(UUID accountId, BigDecimal monthlyBudgetUsd) {
    return client.send(
        "PUT",
        "/api/v1/admin/accounts/" + accountId + "/budget",
        new BudgetRequest(monthlyBudgetUsd),
        AccountBudgetView.class);
  }

  /** One page of every account's jobs; {@code state} null for every state. */
  public Page<JobView> jobs(String state, String cursor, Integer limit) {
    return client.send(
        "GET",
        "/api/v1/admin/jobs" + KilnClient.query("state", state, "cursor", cursor, "limit", limit),
        null,
        new TypeReference<Page<JobView>>() {});
  }

  /** The autoscaler's latest decision (queue depth included) and the live agents. */
  public FleetView fleet() {
    return client.send("GET", "/api/v1/admin/fleet", null, FleetView.class);
  }

  /** The newest audit entries, before the entry {@code before} (null: the newest). */
  public List<AuditEntryView> audit(Long before, Integer limit) {
    return client.send(
        "GET",
        "/api/v1/admin/audit" + KilnClient.query("before", before, "limit", limit),
        null,
        new TypeReference<List<AuditEntryView>>() {});
  }
}
