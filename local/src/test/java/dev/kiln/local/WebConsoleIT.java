package dev.kiln.local;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobView;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The operator console, as the local admin: every view, and a user disabled and enabled. */
@ExtendWith(BrowserExtension.class)
class WebConsoleIT {
  private static final LocatorAssertions.ContainsTextOptions LONG =
      new LocatorAssertions.ContainsTextOptions().setTimeout(240_000);

  @TempDir Path dir;

  private static void logInAsAdmin(Tab tab, BrowserStack stack) {
    tab.go("#/login");
    tab.logIn(stack.platform.account().email(), stack.platform.account().password());
    assertThat(tab.heading("Jobs")).isVisible();
  }

  @Test
  void everyViewShowsAndAUserIsDisabledAndEnabled(Tab tab, BrowserStack stack) throws Exception {
    Page page = tab.page();
    String victim = Tab.newEmail("victim");
    new KilnClient(stack.platform.apiUrl()).signup(victim, Tab.PASSWORD);
    logInAsAdmin(tab, stack);

    tab.link("Console").click();
    assertThat(tab.heading("Console · Overview")).isVisible();
    assertThat(page.locator(".stat-cards")).containsText("Agents");
    assertThat(page.locator(".fresh")).containsText(Pattern.compile("updated \\d+ s ago"));
    assertThat(page.locator("#h-auto")).isVisible();

    for (String[] view :
        List.of(
            new String[] {"Queues", "Queues per processor"},
            new String[] {"Dead letters", "Dead letters"},
            new String[] {"All jobs", "All jobs"},
            new String[] {"Agents", "Agents"},
            new String[] {"Releases", "Releases"})) {
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.NAVIGATION,
              new Page.GetByRoleOptions().setName("Console sections"))
          .getByRole(
              com.microsoft.playwright.options.AriaRole.LINK,
              new Locator.GetByRoleOptions().setName(view[0]).setExact(true))
          .click();
      assertThat(tab.heading("Console · " + view[0])).isVisible();
      assertThat(
              page.getByRole(
                  com.microsoft.playwright.options.AriaRole.REGION,
                  new Page.GetByRoleOptions().setName(view[1]).setExact(true)))
          .isVisible();
    }
    tab.go("#/console/agents");
    assertThat(tab.rows("Agents").first()).isVisible();
    assertThat(
            tab.rows("Agents")
                .first()
                .getByRole(
                    com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Drain")))
        .isVisible();

    tab.go("#/console/users?q=" + victim.substring(0, 14));
    assertThat(tab.rows("Users")).hasCount(1);
    assertThat(tab.rows("Users").first()).containsText(victim);
    tab.rows("Users")
        .first()
        .getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Locator.GetByRoleOptions().setName("Disable"))
        .click();
    assertThat(tab.success(victim + " disabled.")).isVisible();
    assertThat(tab.rows("Users").first()).containsText("disabled");
    page.reload();
    assertThat(page.getByLabel("Search e-mail")).hasValue(victim.substring(0, 14));
    tab.rows("Users")
        .first()
        .getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Locator.GetByRoleOptions().setName("Enable"))
        .click();
    assertThat(tab.success(victim + " enabled.")).isVisible();
    tab.rows("Users").first().getByLabel("Budget of " + victim).fill("25");
    tab.rows("Users")
        .first()
        .getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Locator.GetByRoleOptions().setName("Set"))
        .last()
        .click();
    assertThat(tab.success("Budget of " + victim + " saved.")).isVisible();

    tab.go("#/console/audit?action=account.");
    assertThat(tab.rows("Audit log").first()).isVisible();
    assertThat(page.locator("tbody")).containsText("account.disable");
    assertThat(page.locator("tbody")).containsText("account.enable");
  }

  @Test
  void aDeadLetterIsRequeuedFromTheConsoleAndItsJobSucceeds(Tab tab, BrowserStack stack)
      throws Exception {
    // The browser platform's access tokens last seconds: the admin's calls go with an API key.
    KilnClient login = new KilnClient(stack.platform.apiUrl());
    login.login(stack.platform.account().email(), stack.platform.account().password());
    KilnClient admin =
        new KilnClient(stack.platform.apiUrl(), login.createApiKey("dead letters").key());
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      lines.append("{\"id\":").append(i).append("}\n");
    }
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(lines.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = zipped.toByteArray();
    FileView file = admin.upload(Files.write(dir.resolve("dead.jsonl.gz"), bytes));
    ObjectStore store = ObjectStore.create(LocalConfigs.s3Settings(stack.platform.stack()));
    String bucket = store.settings().uploadsBucket();
    String key = ObjectKeys.upload(admin.whoami().accountId(), file.id(), "dead.jsonl.gz");
    // Damaged in place (same size, not gzip): the job's one allowed attempt fails.
    store.put(bucket, key, new byte[bytes.length]);
    JobView job =
        admin.submit(
            new JobCreateRequest(
                "parse",
                List.of(file.id()),
                null,
                new JobParams(null, null, "jsonl", null, null, 1),
                null),
            null);
    org.assertj.core.api.Assertions.assertThat(
            admin.awaitJob(job.id(), Duration.ofMinutes(4)).state())
        .isEqualTo(JobState.FAILED);
    store.put(bucket, key, bytes);

    logInAsAdmin(tab, stack);
    tab.go("#/console/dead-letters");
    Locator row =
        tab.rows("Dead letters")
            .filter(new Locator.FilterOptions().setHasText(job.id().toString().substring(0, 8)));
    assertThat(row).hasCount(1);
    row.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Locator.GetByRoleOptions().setName("Requeue"))
        .click();
    assertThat(tab.success("Requeued 1 shard(s)")).isVisible();
    org.assertj.core.api.Assertions.assertThat(
            admin.awaitJob(job.id(), Duration.ofMinutes(4)).state())
        .isEqualTo(JobState.SUCCEEDED);
  }
}
