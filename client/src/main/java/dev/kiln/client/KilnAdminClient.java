package dev.kiln.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.client.api.AccountBudgetView;
import dev.kiln.client.api.AccountQuotaView;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.AgentView;
import dev.kiln.client.api.AgentsView;
import dev.kiln.client.api.AuditEntryView;
import dev.kiln.client.api.BudgetRequest;
import dev.kiln.client.api.DeadLetterView;
import dev.kiln.client.api.FleetView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.OverviewView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.QueuesView;
import dev.kiln.client.api.QuotaRequest;
import dev.kiln.client.api.RequeueRequest;
import dev.kiln.client.api.RequeueView;
import dev.kiln.client.api.RoleRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The operator API ({@code /api/v1/admin/**}) through a {@link KilnClient} logged in as an admin.
 * Thread-safe as its client is.
 */
public final class KilnAdminClient {
  private static final String ADMIN = "/api/v1/admin";

  private final KilnClient client;

  KilnAdminClient(KilnClient client) {
    this.client = client;
  }

  /** One page of accounts with their usage, budget and spend. */
  public Page<AccountSummaryView> accounts(String cursor, Integer limit) {
    return accounts(null, null, null, cursor, limit);
  }

  /**
   * One page of the accounts matching a search: {@code query} part of the e-mail, {@code role} USER
   * or ADMIN, {@code state} active or disabled; null matches any.
   */
  public Page<AccountSummaryView> accounts(
      String query, String role, String state, String cursor, Integer limit) {
    return client.send(
        "GET",
        ADMIN
            + "/accounts"
            + KilnClient.query(
                "q", query, "role", role, "state", state, "cursor", cursor, "limit", limit),
        null,
        new TypeReference<Page<AccountSummaryView>>() {});
  }

  /** Disables an account: its tokens and keys stop working at once. */
  public void disable(UUID accountId) {
    client.send("POST", ADMIN + "/accounts/" + accountId + "/disable", null, Void.class);
  }

  public void enable(UUID accountId) {
    client.send("POST", ADMIN + "/accounts/" + accountId + "/enable", null, Void.class);
  }

  /** Sets an account's monthly budget in USD; {@code null} lifts it. */
  public AccountBudgetView setBudget(UUID accountId, BigDecimal monthlyBudgetUsd) {
    return client.send(
        "PUT",
        ADMIN + "/accounts/" + accountId + "/budget",
        new BudgetRequest(monthlyBudgetUsd),
        AccountBudgetView.class);
  }

  /** Sets an account's storage quota in bytes; {@code null} puts it back to the default. */
  public AccountQuotaView setQuota(UUID accountId, Long quotaBytes) {
    return client.send(
        "PUT",
        ADMIN + "/accounts/" + accountId + "/quota",
        new QuotaRequest(quotaBytes),
        AccountQuotaView.class);
  }

  /** Makes an account an admin ({@code ADMIN}) or a user ({@code USER}). */
  public AccountSummaryView setRole(UUID accountId, String role) {
    return client.send(
        "PUT",
        ADMIN + "/accounts/" + accountId + "/role",
        new RoleRequest(role),
        AccountSummaryView.class);
  }

  /** One page of every account's jobs; {@code state} null for every state. */
  public Page<JobView> jobs(String state, String cursor, Integer limit) {
    return jobs(null, state, null, cursor, limit);
  }

  /**
   * One page of the jobs matching a search: {@code owner} an account id or e-mail, {@code state} a
   * job state, {@code query} part of the id, the processor or the owner's e-mail; null matches any.
   */
  public Page<JobView> jobs(
      String owner, String state, String query, String cursor, Integer limit) {
    return client.send(
        "GET",
        ADMIN
            + "/jobs"
            + KilnClient.query(
                "owner", owner, "state", state, "q", query, "cursor", cursor, "limit", limit),
        null,
        new TypeReference<Page<JobView>>() {});
  }

  /** Cancels any account's unfinished job. */
  public JobView cancelJob(UUID jobId) {
    return client.send("POST", ADMIN + "/jobs/" + jobId + "/cancel", null, JobView.class);
  }

  /** The autoscaler's latest decision (queue depth included) and the live agents. */
  public FleetView fleet() {
    return client.send("GET", ADMIN + "/fleet", null, FleetView.class);
  }

  /** The console's overview: fleet, backlog, throughput, spend and the autoscaler's history. */
  public OverviewView overview() {
    return client.send("GET", ADMIN + "/overview", null, OverviewView.class);
  }

  /** Each processor's queue with every owner's share and the caps in force. */
  public QueuesView queues() {
    return client.send("GET", ADMIN + "/queues", null, QueuesView.class);
  }

  /** One page of dead letters, newest first; {@code processor} and {@code jobId} null: all. */
  public Page<DeadLetterView> deadLetters(
      String processor, UUID jobId, String cursor, Integer limit) {
    return client.send(
        "GET",
        ADMIN
            + "/dead-letters"
            + KilnClient.query(
                "processor", processor, "jobId", jobId, "cursor", cursor, "limit", limit),
        null,
        new TypeReference<Page<DeadLetterView>>() {});
  }

  /** Requeues one dead letter: its failed job runs every shard it did not finish again. */
  public RequeueView requeue(UUID jobId, int shardIndex) {
    return client.send(
        "POST",
        ADMIN + "/dead-letters/" + jobId + "/" + shardIndex + "/requeue",
        null,
        RequeueView.class);
  }

  /** Requeues a bounded batch of matching dead letters; both null: of every processor and job. */
  public RequeueView requeueAll(String processor, UUID jobId) {
    return client.send(
        "POST",
        ADMIN + "/dead-letters/requeue",
        new RequeueRequest(processor, jobId),
        RequeueView.class);
  }

  /** Discards a dead letter: the shard is failed for good and its job cannot run again. */
  public void discard(UUID jobId, int shardIndex) {
    client.send("DELETE", ADMIN + "/dead-letters/" + jobId + "/" + shardIndex, null, Void.class);
  }

  /** The live agents. */
  public AgentsView agents() {
    return client.send("GET", ADMIN + "/agents", null, AgentsView.class);
  }

  /** Asks an agent to drain: it leases nothing more and finishes what it holds. */
  public AgentView drain(String agentId) {
    return client.send(
        "POST", ADMIN + "/agents/" + KilnClient.encode(agentId) + "/drain", null, AgentView.class);
  }

  /**
   * One page of the audit log, newest first: {@code actor} an account id or e-mail, {@code action}
   * an action or a prefix ending in a dot, {@code [since, until)}; null matches any.
   */
  public Page<AuditEntryView> audit(
      String actor, String action, Instant since, Instant until, String cursor, Integer limit) {
    return client.send(
        "GET",
        ADMIN
            + "/audit"
            + KilnClient.query(
                "actor", actor, "action", action, "since", since, "until", until, "cursor", cursor,
                "limit", limit),
        null,
        new TypeReference<Page<AuditEntryView>>() {});
  }
}
