package dev.kiln.api.service;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.db.AdminQueryDao;
import dev.kiln.api.db.AdminQueryDao.AccountRow;
import dev.kiln.api.db.AdminQueryDao.AuditRow;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.AuditCursor;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.paging.KeysetPage;
import dev.kiln.client.api.AccountBudgetView;
import dev.kiln.client.api.AccountQuotaView;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.AuditEntryView;
import dev.kiln.client.api.FleetView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.ReleasesView;
import dev.kiln.db.AccountDao;
import dev.kiln.db.JobDao;
import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.db.spend.SpendDao;
import dev.kiln.model.Job;
import dev.kiln.model.JobState;
import dev.kiln.model.Pricing;
import dev.kiln.model.Role;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The operator's actions on accounts and jobs, and the fleet, releases and audit log views; each
 * one is written to the audit log. Thread-safe.
 */
public final class AdminService {
  private final Jdbi jdbi;
  private final AccountDao accounts;
  private final AdminQueryDao queries;
  private final JobService jobService;
  private final AccountService accountService;
  private final FleetService fleet;
  private final ReleaseHistory releases;
  private final AuditTrail audit;
  private final Pricing pricing;
  private final Clock clock;

  public AdminService(
      Jdbi jdbi,
      JobService jobService,
      AccountService accountService,
      FleetService fleet,
      ReleaseHistory releases,
      AuditTrail audit,
      Pricing pricing,
      Clock clock) {
    this.jdbi = jdbi;
    this.accounts = jdbi.onDemand(AccountDao.class);
    this.queries = jdbi.onDemand(AdminQueryDao.class);
    this.jobService = jobService;
    this.accountService = accountService;
    this.fleet = fleet;
    this.releases = releases;
    this.audit = audit;
    this.pricing = pricing;
    this.clock = clock;
  }

  /** A search of the accounts; {@code query}, {@code role} and {@code disabled} null: any. */
  public Page<AccountSummaryView> accounts(
      KilnPrincipal admin, AccountFilter filter, Cursor cursor, int limit) {
    audit.record(admin, "accounts.list", "account", "*", filter.auditDetail());
    Instant monthStart = BudgetCheck.monthStart(clock.instant());
    long defaultQuota = accountService.defaultQuotaBytes();
    return KeysetPage.fetch(
            cursor,
            limit,
            (createdAt, id, rows) ->
                queries.accounts(
                    null,
                    Searches.containsPattern(filter.query()),
                    filter.role(),
                    filter.disabled(),
                    createdAt,
                    id,
                    rows,
                    monthStart,
                    pricing.usdPerAgentSecond()),
            (AccountRow account) -> new Cursor(account.createdAt(), account.id()))
        .toPage(account -> view(account, defaultQuota));
  }

  /** What an account search asks for; null fields match any account. */
  public record AccountFilter(String query, Role role, Boolean disabled) {
    Map<String, Object> auditDetail() {
      Map<String, Object> detail = new java.util.LinkedHashMap<>();
      if (query != null) {
        detail.put("q", query);
      }
      if (role != null) {
        detail.put("role", role.name());
      }
      if (disabled != null) {
        detail.put("disabled", disabled);
      }
      return detail;
    }
  }

  /**
   * Disables or enables an account; a disabled account's tokens and keys stop working at once.
   * Disabling also moves the account's token cut-off to now, so access tokens issued before it stay
   * dead when the account is enabled again: its owner logs in afresh.
   */
  public void setDisabled(KilnPrincipal admin, UUID accountId, boolean disabled) {
    if (disabled && admin.accountId().equals(accountId)) {
      throw ApiException.conflict("You cannot disable your own account.");
    }
    jdbi.useTransaction(
        handle -> {
          AccountDao owned = handle.attach(AccountDao.class);
          if (owned.setDisabled(accountId, disabled) == 0) {
            throw noAccount(accountId);
          }
          if (disabled) {
            owned.revokeTokensBefore(accountId, clock.instant());
          }
          audit.record(
              handle,
              admin,
              disabled ? "account.disable" : "account.enable",
              "account",
              accountId.toString(),
              Map.of());
        });
    accountService.authenticationChanged(accountId);
  }

  /**
   * Sets ({@code null}: lifts) the account's monthly budget; submissions are refused once its
   * month-to-date spend reaches it.
   */
  public AccountBudgetView setBudget(KilnPrincipal admin, UUID accountId, BigDecimal budgetUsd) {
    jdbi.useTransaction(
        handle -> {
          if (handle.attach(SpendDao.class).setMonthlyBudget(accountId, budgetUsd) == 0) {
            throw noAccount(accountId);
          }
          audit.record(
              handle,
              admin,
              "account.budget",
              "account",
              accountId.toString(),
              Map.of("monthlyBudgetUsd", budgetUsd == null ? "none" : budgetUsd.toPlainString()));
        });
    Instant now = clock.instant();
    double spent =
        pricing.costUsd(
            jdbi.onDemand(SpendDao.class)
                .accountAgentSeconds(accountId, BudgetCheck.monthStart(now), now));
    return new AccountBudgetView(accountId, budgetUsd, spent);
  }

  /** Sets ({@code null}: back to the default) the account's storage quota in bytes. */
  public AccountQuotaView setQuota(KilnPrincipal admin, UUID accountId, Long quotaBytes) {
    if (quotaBytes != null && quotaBytes < 0) {
      throw ApiException.validation(
          "'quotaBytes' must be 0 or more bytes, or null for the default.");
    }
    jdbi.useTransaction(
        handle -> {
          if (handle.attach(AccountDao.class).setQuotaBytes(accountId, quotaBytes) == 0) {
            throw noAccount(accountId);
          }
          audit.record(
              handle,
              admin,
              "account.quota",
              "account",
              accountId.toString(),
              Map.of("quotaBytes", quotaBytes == null ? "default" : quotaBytes.toString()));
        });
    return new AccountQuotaView(
        accountId, accountService.quotaOf(accountId), queries.bytesUsed(accountId));
  }

  /** Makes the account an admin or a user; an admin cannot demote themself. */
  public AccountSummaryView setRole(KilnPrincipal admin, UUID accountId, Role role) {
    if (role != Role.ADMIN && admin.accountId().equals(accountId)) {
      throw ApiException.conflict(
          "You cannot take the admin role from your own account; ask another admin.");
    }
    jdbi.useTransaction(
        handle -> {
          if (handle.attach(AccountDao.class).setRole(accountId, role) == 0) {
            throw noAccount(accountId);
          }
          audit.record(
              handle,
              admin,
              "account.role",
              "account",
              accountId.toString(),
              Map.of("role", role.name()));
        });
    accountService.authenticationChanged(accountId);
    AccountRow row =
        queries
            .accounts(
                accountId,
                null,
                null,
                null,
                null,
                null,
                1,
                BudgetCheck.monthStart(clock.instant()),
                pricing.usdPerAgentSecond())
            .stream()
            .findFirst()
            .orElseThrow(() -> noAccount(accountId));
    return view(row, accountService.defaultQuotaBytes());
  }

  /** The autoscaler's latest decision and the live agents. */
  public FleetView fleet(KilnPrincipal admin) {
    audit.record(admin, "fleet.view", "fleet", "*", Map.of());
    return fleet.fleet();
  }

  /** The newest release records, newest first. */
  public ReleasesView releases(KilnPrincipal admin, int limit) {
    audit.record(admin, "releases.list", "release", "*", Map.of());
    return releases.newest(limit);
  }

  public void deleteAccount(KilnPrincipal admin, UUID accountId) {
    if (admin.accountId().equals(accountId)) {
      throw ApiException.conflict(
          "Delete your own account with POST /api/v1/account/delete, not the operator API.");
    }
    if (accounts.findById(accountId).isEmpty()) {
      throw noAccount(accountId);
    }
    audit.record(admin, "account.delete", "account", accountId.toString(), Map.of());
    accountService.deleteAccount(accountId);
  }

  /** A search of every account's jobs; null filters match any job. */
  public Page<JobView> jobs(
      KilnPrincipal admin, String owner, JobState state, String query, Cursor cursor, int limit) {
    UUID ownerId = owner == null ? null : accountIdOf(owner, "owner");
    Map<String, Object> detail = new java.util.LinkedHashMap<>();
    if (ownerId != null) {
      detail.put("owner", ownerId.toString());
    }
    if (state != null) {
      detail.put("state", state.name());
    }
    if (query != null) {
      detail.put("q", query);
    }
    audit.record(admin, "jobs.list", "job", "*", detail);
    String pattern = Searches.containsPattern(query);
    return KeysetPage.fetch(
            cursor,
            limit,
            (createdAt, id, rows) -> queries.jobs(ownerId, state, pattern, createdAt, id, rows),
            JobService::cursorOf)
        .toPage(jobService::view);
  }

  /** Cancels any account's unfinished job on the operator's behalf. */
  public JobView cancelJob(KilnPrincipal admin, UUID jobId) {
    Job job =
        jdbi.onDemand(JobDao.class)
            .findById(jobId)
            .orElseThrow(() -> ApiException.notFound("No job " + jobId + "."));
    JobView cancelled = jobService.cancel(job.ownerId(), jobId, "operator");
    audit.record(
        admin, "job.cancel", "job", jobId.toString(), Map.of("owner", job.ownerId().toString()));
    return cancelled;
  }

  /** A page of the audit log, newest first; null filters match any entry. */
  public Page<AuditEntryView> audit(
      KilnPrincipal admin, AuditFilter filter, AuditCursor cursor, int limit) {
    UUID actorId = filter.actor() == null ? null : accountIdOf(filter.actor(), "actor");
    String action = null;
    if (filter.action() != null) {
      action =
          filter.action().endsWith(".")
              ? Searches.escapeLike(filter.action()) + "%"
              : Searches.escapeLike(filter.action());
    }
    audit.record(admin, "audit.list", "audit", "*", Map.of());
    List<AuditRow> rows =
        queries.audit(
            actorId,
            action,
            filter.since(),
            filter.until(),
            cursor == null ? null : cursor.id(),
            limit + 1);
    String next = null;
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
      next = new AuditCursor(rows.get(limit - 1).id()).encode();
    }
    return new Page<>(rows.stream().map(AdminService::view).toList(), next);
  }

  /** What an audit search asks for; null fields match any entry. */
  public record AuditFilter(String actor, String action, Instant since, Instant until) {}

  /**
   * Records an operator call refused to {@code caller}: who, which method and path, what answer.
   */
  public void recordRefused(KilnPrincipal caller, String method, String rawPath, int status) {
    String path = rawPath.length() > 512 ? rawPath.substring(0, 512) + "..." : rawPath;
    audit.record(
        caller,
        "admin.refused",
        "request",
        path,
        Map.of("method", method, "path", path, "outcome", status + " refused"));
  }

  /** An account id as given, or the id of the account with that e-mail; 404 when none. */
  private UUID accountIdOf(String idOrEmail, String parameter) {
    try {
      return UUID.fromString(idOrEmail.strip());
    } catch (IllegalArgumentException notAnId) {
      return accounts
          .findByEmail(idOrEmail.strip())
          .map(account -> account.id())
          .orElseThrow(
              () ->
                  ApiException.notFound(
                      "'" + parameter + "': no account has the e-mail " + idOrEmail + "."));
    }
  }

  private static ApiException noAccount(UUID accountId) {
    return ApiException.notFound("No account " + accountId + ".");
  }

  private static AccountSummaryView view(AccountRow account, long defaultQuota) {
    return new AccountSummaryView(
        account.id(),
        account.email(),
        account.role().name(),
        account.disabled(),
        account.createdAt(),
        account.files(),
        account.bytesUsed(),
        account.jobs(),
        account.agentSeconds(),
        account.monthlyBudgetUsd(),
        account.monthSpendUsd(),
        account.quotaBytes() == null ? defaultQuota : account.quotaBytes(),
        account.creditsAvailableUsd(),
        account.creditsReservedUsd());
  }

  private static AuditEntryView view(AuditRow entry) {
    return new AuditEntryView(
        entry.id(),
        entry.actorId(),
        entry.action(),
        entry.targetType(),
        entry.targetId(),
        entry.detailJson(),
        entry.createdAt(),
        entry.actorEmail());
  }
}
