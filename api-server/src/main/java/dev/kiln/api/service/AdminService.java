package dev.kiln.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.db.AuditDao;
import dev.kiln.api.db.AuditEntry;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.paging.KeysetPage;
import dev.kiln.client.api.AccountBudgetView;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.AuditEntryView;
import dev.kiln.client.api.FleetView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.ReleasesView;
import dev.kiln.db.AccountDao;
import dev.kiln.db.AccountSummary;
import dev.kiln.db.JobDao;
import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.db.spend.SpendDao;
import dev.kiln.model.JobState;
import dev.kiln.model.Pricing;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The operator's actions; each one is written to the audit log. Thread-safe. */
public final class AdminService {
  private final Jdbi jdbi;
  private final AccountDao accounts;
  private final AuditDao audit;
  private final JobDao jobs;
  private final JobService jobService;
  private final AccountService accountService;
  private final FleetService fleet;
  private final ReleaseHistory releases;
  private final Pricing pricing;
  private final ObjectMapper json;
  private final Clock clock;

  public AdminService(
      Jdbi jdbi,
      JobService jobService,
      AccountService accountService,
      FleetService fleet,
      ReleaseHistory releases,
      Pricing pricing,
      ObjectMapper json,
      Clock clock) {
    this.jdbi = jdbi;
    this.accounts = jdbi.onDemand(AccountDao.class);
    this.audit = jdbi.onDemand(AuditDao.class);
    this.jobs = jdbi.onDemand(JobDao.class);
    this.jobService = jobService;
    this.accountService = accountService;
    this.fleet = fleet;
    this.releases = releases;
    this.pricing = pricing;
    this.json = json;
    this.clock = clock;
  }

  public Page<AccountSummaryView> accounts(KilnPrincipal admin, Cursor cursor, int limit) {
    record("accounts.list", "account", "*", Map.of(), admin);
    Instant monthStart = BudgetCheck.monthStart(clock.instant());
    return KeysetPage.fetch(
            cursor,
            limit,
            (createdAt, id, rows) ->
                accounts.page(createdAt, id, rows, monthStart, pricing.usdPerAgentSecond()),
            account -> new Cursor(account.createdAt(), account.id()))
        .toPage(AdminService::view);
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
            throw ApiException.notFound("No account " + accountId + ".");
          }
          if (disabled) {
            owned.revokeTokensBefore(accountId, clock.instant());
          }
          handle
              .attach(AuditDao.class)
              .append(
                  admin.accountId(),
                  disabled ? "account.disable" : "account.enable",
                  "account",
                  accountId.toString(),
                  "{}",
                  clock.instant());
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
            throw ApiException.notFound("No account " + accountId + ".");
          }
          handle
              .attach(AuditDao.class)
              .append(
                  admin.accountId(),
                  "account.budget",
                  "account",
                  accountId.toString(),
                  detail(
                      Map.of(
                          "monthlyBudgetUsd",
                          budgetUsd == null ? "none" : budgetUsd.toPlainString())),
                  clock.instant());
        });
    Instant now = clock.instant();
    double spent =
        pricing.costUsd(
            jdbi.onDemand(SpendDao.class)
                .accountAgentSeconds(accountId, BudgetCheck.monthStart(now), now));
    return new AccountBudgetView(accountId, budgetUsd, spent);
  }

  /** The autoscaler's latest decision and the live agents. */
  public FleetView fleet(KilnPrincipal admin) {
    record("fleet.view", "fleet", "*", Map.of(), admin);
    return fleet.fleet();
  }

  /** The newest release records, newest first. */
  public ReleasesView releases(KilnPrincipal admin, int limit) {
    record("releases.list", "release", "*", Map.of(), admin);
    return releases.newest(limit);
  }

  public void deleteAccount(KilnPrincipal admin, UUID accountId) {
    if (admin.accountId().equals(accountId)) {
      throw ApiException.conflict(
          "Delete your own account with POST /api/v1/account/delete, not the operator API.");
    }
    if (accounts.findById(accountId).isEmpty()) {
      throw ApiException.notFound("No account " + accountId + ".");
    }
    record("account.delete", "account", accountId.toString(), Map.of(), admin);
    accountService.deleteAccount(accountId);
  }

  public Page<JobView> jobs(KilnPrincipal admin, JobState state, Cursor cursor, int limit) {
    record(
        "jobs.list", "job", "*", state == null ? Map.of() : Map.of("state", state.name()), admin);
    return KeysetPage.fetch(
            cursor,
            limit,
            (createdAt, id, rows) -> jobs.page(null, state, createdAt, id, rows),
            JobService::cursorOf)
        .toPage(jobService::view);
  }

  public List<AuditEntryView> audit(KilnPrincipal admin, Long beforeId, int limit) {
    record("audit.list", "audit", "*", Map.of(), admin);
    return audit.page(beforeId, limit).stream().map(AdminService::view).toList();
  }

  /**
   * Records an operator call refused to {@code caller}: who, which method and path, what answer.
   */
  public void recordRefused(KilnPrincipal caller, String method, String rawPath, int status) {
    String path = rawPath.length() > 512 ? rawPath.substring(0, 512) + "..." : rawPath;
    audit.append(
        caller.accountId(),
        "admin.refused",
        "request",
        path,
        detail(Map.of("method", method, "path", path, "outcome", status + " refused")),
        clock.instant());
  }

  private static AccountSummaryView view(AccountSummary account) {
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
        account.monthSpendUsd());
  }

  private static AuditEntryView view(AuditEntry entry) {
    return new AuditEntryView(
        entry.id(),
        entry.actorId(),
        entry.action(),
        entry.targetType(),
        entry.targetId(),
        entry.detailJson(),
        entry.createdAt());
  }

  private void record(
      String action,
      String targetType,
      String targetId,
      Map<String, String> detail,
      KilnPrincipal admin) {
    audit.append(admin.accountId(), action, targetType, targetId, detail(detail), clock.instant());
  }

  private String detail(Map<String, String> detail) {
    try {
      return json.writeValueAsString(detail);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit detail always serialises", e);
    }
  }
}
