package dev.kiln.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.FileState;
import dev.kiln.model.Role;
import dev.kiln.model.StoredFile;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code accounts} aggregate: authentication state, quota, the operator listing, deletion. */
@ExtendWith(KilnStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountDaoIT {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  /** Later than any account other tests create, so the listing's first rows are this test's. */
  private static final Instant FAR = Instant.parse("2099-01-01T00:00:00Z");

  private Jdbi jdbi;
  private AccountDao accounts;

  @BeforeAll
  void connect(TestStack stack) {
    jdbi = Databases.jdbi(stack.dataSource());
    accounts = jdbi.onDemand(AccountDao.class);
  }

  @Test
  void revokingTokensAndDisablingShowInTheAuthenticationRead() {
    String email = anEmail("auth");
    UUID id = anAccount(email, Role.USER, NOW);

    AccountAuth fresh = find(id);
    assertThat(fresh.email()).isEqualTo(email);
    assertThat(fresh.role()).isEqualTo(Role.USER);
    assertThat(fresh.tokensValidAfter()).isNull();
    assertThat(fresh.acceptsTokenIssuedAt(NOW.minusSeconds(60))).isTrue();

    assertThat(accounts.revokeTokensBefore(id, NOW)).isEqualTo(1);
    AccountAuth revoked = find(id);
    assertThat(revoked.tokensValidAfter()).isEqualTo(NOW);
    assertThat(revoked.acceptsTokenIssuedAt(NOW.minusSeconds(1))).isFalse();
    assertThat(revoked.acceptsTokenIssuedAt(NOW)).isTrue();

    accounts.setDisabled(id, true);
    assertThat(find(id).disabled()).isTrue();
    assertThat(find(id).acceptsTokenIssuedAt(NOW.plusSeconds(1))).isFalse();

    Optional<AccountAuth> nobody =
        jdbi.withHandle(handle -> AccountReads.find(handle, UUID.randomUUID()));
    assertThat(nobody).isEmpty();
  }

  @Test
  void aQuotaIsAbsentUntilSet() {
    UUID id = anAccount(anEmail("quota"), Role.USER, NOW);

    assertThat(accounts.quotaBytes(id)).isEmpty();
    assertThat(accounts.setQuotaBytes(id, 5_000L)).isEqualTo(1);
    assertThat(accounts.quotaBytes(id)).contains(5_000L);
    assertThat(accounts.quotaBytes(UUID.randomUUID())).isEmpty();
  }

  @Test
  void adminsAreCounted() {
    int before = accounts.countAdmins();

    anAccount(anEmail("admin"), Role.ADMIN, NOW);
    anAccount(anEmail("user"), Role.USER, NOW);

    assertThat(accounts.countAdmins()).isEqualTo(before + 1);
  }

  @Test
  void theOperatorListingIsNewestFirstWithUsageAndPagesByKeyset() {
    String email = anEmail("list");
    UUID oldest = anAccount(anEmail("list"), Role.USER, FAR);
    UUID middle = anAccount(email, Role.USER, FAR.plusSeconds(1));
    UUID newest = anAccount(anEmail("list"), Role.ADMIN, FAR.plusSeconds(2));
    aReadyFile(middle, "a.csv", 180);
    aReadyFile(middle, "b.csv", 20);

    List<AccountSummary> first = accounts.page(FAR.plusSeconds(3), UUID.randomUUID(), 2, NOW, 0.5);
    assertThat(first).extracting(AccountSummary::id).containsExactly(newest, middle);
    AccountSummary withFiles = first.get(1);
    assertThat(withFiles.email()).isEqualTo(email);
    assertThat(withFiles.role()).isEqualTo(Role.USER);
    assertThat(withFiles.createdAt()).isEqualTo(FAR.plusSeconds(1));
    assertThat(withFiles.files()).isEqualTo(2);
    assertThat(withFiles.bytesUsed()).isEqualTo(200);
    assertThat(withFiles.jobs()).isZero();
    assertThat(withFiles.agentSeconds()).isZero();
    assertThat(withFiles.monthlyBudgetUsd()).isNull();
    assertThat(withFiles.monthSpendUsd()).isZero();

    List<AccountSummary> next = accounts.page(withFiles.createdAt(), withFiles.id(), 1, NOW, 0.5);
    assertThat(next).extracting(AccountSummary::id).containsExactly(oldest);
  }

  @Test
  void deletingAnAccountRemovesWhatItOwnsFirst() {
    UUID id = anAccount(anEmail("gone"), Role.USER, NOW);
    aReadyFile(id, "input.csv", 10);

    int[] deleted =
        jdbi.inTransaction(
            handle -> {
              AccountDao owned = handle.attach(AccountDao.class);
              return new int[] {owned.deleteJobsOf(id), owned.deleteFilesOf(id), owned.delete(id)};
            });

    assertThat(deleted).containsExactly(0, 1, 1);
    assertThat(accounts.findById(id)).isEmpty();
  }

  private AccountAuth find(UUID id) {
    return jdbi.withHandle(handle -> AccountReads.find(handle, id)).orElseThrow();
  }

  private static String anEmail(String name) {
    return name + "-" + UUID.randomUUID() + "@example.com";
  }

  private UUID anAccount(String email, Role role, Instant createdAt) {
    UUID id = UUID.randomUUID();
    accounts.insert(id, email, "hash", role, createdAt);
    return id;
  }

  private void aReadyFile(UUID owner, String name, long sizeBytes) {
    UUID id = UUID.randomUUID();
    jdbi.onDemand(FileDao.class)
        .insert(
            new StoredFile(
                id,
                owner,
                name,
                "b",
                owner + "/" + id + "/" + name,
                sizeBytes,
                "etag",
                FileState.READY,
                NOW,
                NOW,
                NOW.plus(30, ChronoUnit.DAYS)));
  }
}
