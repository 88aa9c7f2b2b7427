package dev.kiln.local;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.kiln.client.KilnClient;
import dev.kiln.db.AccountDao;
import dev.kiln.db.Databases;
import dev.kiln.db.credits.Ledger;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Prepaid credits in the browser: the balance and statement, buying through the local checkout, a
 * job the credits do not cover, and an admin's grant from the console.
 */
@ExtendWith(BrowserExtension.class)
class WebCreditsIT {
  /** What {@code ./kiln up} grants a new account at sign-up. */
  private static final String SIGNUP_CREDITS = "$10.00";

  @TempDir Path dir;

  private static Jdbi jdbi(BrowserStack stack) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(stack.platform.stack().postgres().jdbcUrl());
    dataSource.setUser(stack.platform.stack().postgres().user());
    dataSource.setPassword(stack.platform.stack().postgres().password());
    return Databases.jdbi(dataSource);
  }

  /** Holds all but {@code leftUsd} of the account's credits, as a running job elsewhere would. */
  private static void holdAllBut(BrowserStack stack, String email, String leftUsd) {
    Jdbi jdbi = jdbi(stack);
    UUID account = jdbi.onDemand(AccountDao.class).findByEmail(email).orElseThrow().id();
    jdbi.useTransaction(
        handle -> {
          BigDecimal held =
              Ledger.balance(handle, account).available().subtract(new BigDecimal(leftUsd));
          Ledger.reserve(handle, account, UUID.randomUUID(), held, Instant.now());
        });
  }

  private Path csv(String name) throws Exception {
    return Files.writeString(dir.resolve(name), "id,name\n1,a\n2,b\n");
  }

  @Test
  void aUserReadsTheStatementAndBuysCreditsThroughTheCheckout(Tab tab) throws Exception {
    Page page = tab.page();
    tab.signUp("buyer");
    String month = YearMonth.now(ZoneOffset.UTC).toString();

    tab.link("Credits").click();
    assertThat(tab.heading("Credits")).isVisible();
    assertThat(page.locator("[data-balance=available]")).hasText(SIGNUP_CREDITS);
    Locator lines = tab.rows("Statement of " + month);
    assertThat(lines).hasCount(1);
    assertThat(lines.first().locator("td").nth(1)).hasText("grant");
    assertThat(lines.first().locator("td").nth(4)).hasText("+" + SIGNUP_CREDITS);
    String date = lines.first().locator("time").textContent();
    Assertions.assertThat(date).doesNotContain("T").doesNotContain("Z").matches(".*\\d{4}.*");

    page.getByLabel("Amount (USD)").fill("12.345");
    tab.button("Buy credits").click();
    assertThat(tab.error("to the cent")).isVisible();
    assertThat(page.getByLabel("Amount (USD)")).hasAttribute("aria-invalid", "true");
    page.getByLabel("Amount (USD)").fill("25");
    tab.button("Buy credits").click();

    page.waitForURL(Pattern.compile(".*/api/v1/payments/local/cs_local_[0-9a-f]+$"));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay 25.00 USD")).click();
    page.waitForURL(Pattern.compile(".*#/credits\\?paid=1$"));
    assertThat(tab.success("Payment received: your balance is now $35.00.")).isVisible();
    assertThat(page.locator("[data-balance=available]")).hasText("$35.00");
    assertThat(lines).hasCount(2);
    assertThat(lines.nth(1).locator("td").nth(1)).hasText("purchase");
    assertThat(lines.nth(1).locator("td").nth(4)).hasText("+$25.00");

    Download csv = page.waitForDownload(() -> tab.button("Download CSV").click());
    Assertions.assertThat(csv.suggestedFilename()).isEqualTo("kiln-credits-" + month + ".csv");
    List<String> rows = Files.readAllLines(csv.path());
    Assertions.assertThat(rows).hasSize(4);
    Assertions.assertThat(rows.get(0)).startsWith("at,kind,job,memo");
    Assertions.assertThat(rows.get(3)).contains(",purchase,").contains("25");

    String before = YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
    page.getByLabel("Month").fill(before);
    tab.button("Show").click();
    assertThat(page.locator("main")).containsText("No movement of credits in " + before + ".");
    page.reload();
    assertThat(page.getByLabel("Month")).hasValue(before);
  }

  @Test
  void aJobTheCreditsDoNotCoverSaysWhatToDoAndLeadsToTheCreditsPage(Tab tab, BrowserStack stack)
      throws Exception {
    Page page = tab.page();
    String email = tab.signUp("short");
    holdAllBut(stack, email, "0.000001");
    tab.expectHttpErrors(402);

    tab.go("#/jobs/new");
    page.getByLabel("Choose files").setInputFiles(csv("first.csv"));
    tab.button("Start job").click();

    Locator refusal = tab.error("This job needs about $");
    assertThat(refusal).isVisible();
    assertThat(refusal)
        .containsText("you have $0.000001 available ($10.00 held by your running jobs)");
    assertThat(refusal).containsText("Buy credits, then start the job again");

    holdAllBut(stack, email, "0");
    tab.go("#/jobs/new");
    page.getByLabel("Choose files").setInputFiles(csv("second.csv"));
    tab.button("Start job").click();
    assertThat(tab.error("Your credits do not cover this job.")).isVisible();
    assertThat(page.locator(".uploads")).containsText("waiting");

    tab.link("go to Credits").click();
    assertThat(tab.heading("Credits")).isVisible();
    assertThat(page.locator("[data-balance=available]")).hasText("$0.00");
    assertThat(page.locator("[data-balance=reserved]")).hasText("$10.00");
    tab.go("#/files");
    assertThat(page.locator("tbody")).containsText("first.csv");
    assertThat(page.locator("tbody")).not().containsText("second.csv");
  }

  @Test
  void anAdminGrantsCreditsFromTheUsersViewAndSeesTheBalance(Tab tab, BrowserStack stack) {
    Page page = tab.page();
    String user = Tab.newEmail("granted");
    KilnClient client = new KilnClient(stack.platform.apiUrl());
    client.signup(user, Tab.PASSWORD);
    tab.go("#/login");
    tab.logIn(stack.platform.account().email(), stack.platform.account().password());
    assertThat(tab.heading("Jobs")).isVisible();

    tab.go("#/console/users?q=" + user.substring(0, 15));
    Locator row = tab.rows("Users");
    assertThat(row).hasCount(1);
    assertThat(row.first().locator("[data-credits]")).hasText(SIGNUP_CREDITS);
    row.first().getByLabel("Credits to grant to " + user).fill("0");
    row.first().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Grant")).click();
    assertThat(tab.error("Credits for " + user + ": Enter an amount from $0.01")).isVisible();

    row.first().getByLabel("Credits to grant to " + user).fill("7.50");
    row.first().getByLabel("Memo for the grant to " + user).fill("pilot project");
    row.first().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Grant")).click();

    assertThat(tab.success("Granted $7.50 of credits to " + user + "; $17.50 available now."))
        .isVisible();
    assertThat(tab.rows("Users").first().locator("[data-credits]")).hasText("$17.50");
    UUID account = jdbi(stack).onDemand(AccountDao.class).findByEmail(user).orElseThrow().id();
    List<String> memos =
        jdbi(stack)
            .withHandle(
                handle ->
                    handle
                        .createQuery(
                            "select memo from ledger_transactions where account_id = :account"
                                + " order by created_at")
                        .bind("account", account)
                        .mapTo(String.class)
                        .list());
    Assertions.assertThat(memos)
        .as("the memo goes on the user's statement")
        .contains("pilot project");
    tab.go("#/console/audit?action=account.credits");
    assertThat(page.locator("tbody")).containsText("account.credits");
  }
}
