package dev.kiln.api.service;

import dev.kiln.api.auth.AccountStates;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.auth.LoginThrottle;
import dev.kiln.api.auth.PasswordHasher;
import dev.kiln.api.auth.PasswordPolicy;
import dev.kiln.api.auth.SignupThrottle;
import dev.kiln.api.auth.TokenService;
import dev.kiln.api.errors.ApiException;
import dev.kiln.client.api.AccountUsageView;
import dev.kiln.client.api.AccountView;
import dev.kiln.client.api.TokenResponse;
import dev.kiln.db.AccountDao;
import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.db.OutboxDao;
import dev.kiln.db.UniqueViolations;
import dev.kiln.db.credits.Ledger;
import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.model.Account;
import dev.kiln.model.Job;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.Role;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sign-up, log-in, log-out, password changes and account deletion. Thread-safe. */
public final class AccountService {
  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

  private final Jdbi jdbi;
  private final AccountStates states;
  private final AccountDao accounts;
  private final PasswordHasher hasher;
  private final PasswordPolicy passwords;
  private final TokenService tokens;
  private final LoginThrottle throttle;
  private final SignupThrottle signups;
  private final ObjectStore store;
  private final long defaultQuotaBytes;
  private final BigDecimal signupCreditsUsd;
  private final Clock clock;

  public AccountService(
      Jdbi jdbi,
      PasswordHasher hasher,
      PasswordPolicy passwords,
      TokenService tokens,
      LoginThrottle throttle,
      SignupThrottle signups,
      ObjectStore store,
      long defaultQuotaBytes,
      BigDecimal signupCreditsUsd,
      AccountStates states,
      Clock clock) {
    this.jdbi = jdbi;
    this.states = states;
    this.accounts = jdbi.onDemand(AccountDao.class);
    this.hasher = hasher;
    this.passwords = passwords;
    this.tokens = tokens;
    this.throttle = throttle;
    this.signups = signups;
    this.store = store;
    this.defaultQuotaBytes = defaultQuotaBytes;
    this.signupCreditsUsd = signupCreditsUsd;
    this.clock = clock;
  }

  /** Creates an account; 409 when the e-mail address is taken. */
  public Account create(String email, String password, Role role) {
    return create(email, password, role, BigDecimal.ZERO);
  }

  /** Creates an account holding {@code credits}, both or neither; 409 when the address is taken. */
  private Account create(String email, String password, Role role, BigDecimal credits) {
    UUID id = UUID.randomUUID();
    String hash = hasher.hash(password);
    Instant now = clock.instant();
    try {
      jdbi.useTransaction(
          handle -> {
            handle.attach(AccountDao.class).insert(id, email, hash, role, now);
            if (credits.signum() > 0) {
              Ledger.grantOnce(
                  handle, id, credits, "credits for a new account", now, "signup:" + id);
            }
          });
    } catch (UnableToExecuteStatementException e) {
      if (UniqueViolations.isUniqueViolation(e)) {
        throw ApiException.conflict(
            "An account with this e-mail address exists; log in, or sign up with another"
                + " address.");
      }
      throw e;
    }
    return accounts.findById(id).orElseThrow();
  }

  /**
   * Creates a user account whose password passes the {@link PasswordPolicy}, within the sign-ups
   * allowed from {@code address}; answers its first token.
   */
  public TokenResponse signup(String email, String password, String address) {
    passwords.check(password, "password");
    signups.attempt(address);
    Account account = create(email, password, Role.USER, signupCreditsUsd);
    return token(account);
  }

  /** Checks the password under the login throttle; a token on success, 401 otherwise. */
  public TokenResponse login(String email, String password, String address) {
    throttle.attempt(email, address);
    Optional<Account> found = accounts.findByEmail(email);
    if (found.isEmpty()) {
      hasher.burnOneCheck(password);
      throw wrongCredentials();
    }
    Account account = found.get();
    if (!hasher.matches(password, account.passwordHash())) {
      throw wrongCredentials();
    }
    if (account.disabled()) {
      throw ApiException.unauthorized(
          "This account is disabled; ask an administrator to enable it.");
    }
    throttle.recordSuccess(email, address);
    return token(account);
  }

  /** Ends every session of the account: all its access tokens stop working. */
  public void logout(KilnPrincipal principal) {
    accounts.revokeTokensBefore(principal.accountId(), clock.instant());
    states.changed(principal.accountId());
  }

  /**
   * A fresh access token for a session whose refresh token was issued at {@code sessionTokenAt};
   * empty when the account is gone or disabled, or logged out or changed its password since.
   */
  public Optional<TokenResponse> refreshed(UUID accountId, Instant sessionTokenAt) {
    if (states.find(accountId).filter(a -> a.acceptsTokenIssuedAt(sessionTokenAt)).isEmpty()) {
      return Optional.empty();
    }
    return accounts.findById(accountId).filter(a -> !a.disabled()).map(this::token);
  }

  /** Call after committing a change that turns the account's credentials away or back. */
  public void authenticationChanged(UUID accountId) {
    states.changed(accountId);
  }

  /** Changes the password, logs out every session and returns a fresh token. */
  public TokenResponse changePassword(
      KilnPrincipal principal, String current, String next, String address) {
    passwords.check(next, "newPassword");
    Account account = requirePassword(principal, current, address);
    Instant now = clock.instant();
    accounts.updatePassword(account.id(), hasher.hash(next));
    accounts.revokeTokensBefore(account.id(), now);
    states.changed(account.id());
    return token(account);
  }

  /**
   * Deletes the account with its jobs, files and their objects. Running jobs get a {@code
   * job.cancelled} event first, so the scheduler drops their queued work.
   */
  public void delete(KilnPrincipal principal, String password, String address) {
    Account account = requirePassword(principal, password, address);
    deleteAccount(account.id());
  }

  /** Deletes an account and everything it owns (used by the account itself and by admins). */
  public void deleteAccount(UUID accountId) {
    jdbi.useTransaction(
        handle -> {
          JobDao jobs = handle.attach(JobDao.class);
          OutboxDao outbox = handle.attach(OutboxDao.class);
          Instant now = clock.instant();
          for (Job job : jobs.page(accountId, null, null, null, Integer.MAX_VALUE)) {
            if (!job.state().isTerminal()) {
              outbox.append(
                  job.id(),
                  accountId,
                  OutboxEventType.CANCELLED,
                  "{\"reason\":\"account deleted\"}",
                  now);
            }
          }
          AccountDao owned = handle.attach(AccountDao.class);
          owned.deleteJobsOf(accountId);
          owned.deleteFilesOf(accountId);
          owned.delete(accountId);
        });
    states.changed(accountId);
    String uploads = store.settings().uploadsBucket();
    String staged = ObjectKeys.stagingPrefix(accountId);
    deleteObjectsOf(uploads, accountId + "/");
    deleteObjectsOf(uploads, staged);
    deleteObjectsOf(store.settings().resultsBucket(), accountId + "/");
    try {
      for (ObjectStore.UploadInProgress upload :
          store.uploadsStartedBefore(uploads, staged, Instant.MAX)) {
        store.abortMultipartUpload(uploads, upload.key(), upload.uploadId());
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not abort the uploads under s3://{}/{} of a deleted account", uploads, staged, e);
    }
  }

  private void deleteObjectsOf(String bucket, String prefix) {
    try {
      store.deletePrefix(bucket, prefix);
    } catch (RuntimeException e) {
      // The rows are gone; the housekeeper and the bucket's lifecycle rule remove what is left.
      LOG.warn("Could not delete s3://{}/{} of a deleted account", bucket, prefix, e);
    }
  }

  public AccountView view(KilnPrincipal principal) {
    Account account =
        accounts
            .findById(principal.accountId())
            .orElseThrow(() -> ApiException.unauthorized("The account no longer exists."));
    long used = jdbi.onDemand(FileDao.class).bytesUsedBy(account.id());
    return new AccountView(
        account.id(),
        account.email(),
        account.role().name(),
        account.createdAt(),
        used,
        quotaOf(account.id()));
  }

  /** Storage against the quota, and this month's spend against the budget. */
  public AccountUsageView usage(KilnPrincipal principal, BudgetCheck budgets) {
    UUID id = principal.accountId();
    long used = jdbi.onDemand(FileDao.class).bytesUsedBy(id);
    return new AccountUsageView(
        used,
        quotaOf(id),
        budgets.monthlyBudget(id).orElse(null),
        budgets.monthSpendUsd(id),
        budgets.refusal(id).orElse(null));
  }

  /** The storage quota of accounts that have none of their own, in bytes. */
  public long defaultQuotaBytes() {
    return defaultQuotaBytes;
  }

  /** The account's storage quota in bytes. */
  public long quotaOf(UUID accountId) {
    return accounts.quotaBytes(accountId).orElse(defaultQuotaBytes);
  }

  /** Confirms the account's password under the same throttle as logins. */
  private Account requirePassword(KilnPrincipal principal, String password, String address) {
    Account account =
        accounts
            .findById(principal.accountId())
            .orElseThrow(() -> ApiException.unauthorized("The account no longer exists."));
    throttle.attempt(account.email(), address);
    if (!hasher.matches(password, account.passwordHash())) {
      throw ApiException.forbidden("The current password is wrong; try again.");
    }
    throttle.recordSuccess(account.email(), address);
    return account;
  }

  private TokenResponse token(Account account) {
    TokenService.IssuedToken issued = tokens.issue(account.id(), account.role());
    AccountView view =
        new AccountView(
            account.id(),
            account.email(),
            account.role().name(),
            account.createdAt(),
            0,
            quotaOf(account.id()));
    return new TokenResponse(issued.token(), "Bearer", issued.expiresAt(), view);
  }

  private static ApiException wrongCredentials() {
    return ApiException.unauthorized(
        "The e-mail address or the password is wrong; check both and try again.");
  }
}
