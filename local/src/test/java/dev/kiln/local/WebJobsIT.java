package dev.kiln.local;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.kiln.model.JobState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A user's jobs in the browser: start one, watch it, read its failures, cancel, retry, delete. */
@ExtendWith(BrowserExtension.class)
class WebJobsIT {
  private static final LocatorAssertions.HasTextOptions LONG =
      new LocatorAssertions.HasTextOptions().setTimeout(240_000);
  private static final Pattern JOB_URL = Pattern.compile(".*#/jobs/[0-9a-f-]{36}$");

  @TempDir Path dir;

  /**
   * A CSV of {@code rows} records (id, name, score); the records in {@code broken} lack a field.
   */
  private Path csv(String name, int rows, int... broken) throws Exception {
    StringBuilder text = new StringBuilder("id,name,score\n");
    outer:
    for (int i = 1; i <= rows; i++) {
      for (int b : broken) {
        if (b == i) {
          text.append(i).append(",broken\n");
          continue outer;
        }
      }
      text.append(i).append(",name-").append(i).append(',').append(i % 97).append('\n');
    }
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aNewUserRunsAJobWatchesItReadsItsFailuresAndDownloadsTheOutput(Tab tab) throws Exception {
    Page page = tab.page();
    tab.signUp("runner");
    Path input = csv("records.csv", 20_000, 100, 2_500);

    tab.link("New job").click();
    assertThat(tab.heading("New job")).isVisible();
    page.getByLabel("Choose files").setInputFiles(input);
    assertThat(page.locator(".uploads")).containsText("records.csv");
    page.getByLabel("Shard size (MiB)").fill("0.0625");
    page.evaluate(
        "() => document.querySelector('form.stack').addEventListener('submit', () =>"
            + " setTimeout(() => { window.kilnSubmitDisabled ="
            + " document.querySelector('form.stack button[type=submit]').disabled; }))");
    tab.button("Start job").click();

    page.waitForURL(JOB_URL);
    Assertions.assertThat(page.evaluate("() => window.kilnSubmitDisabled")).isEqualTo(true);
    assertThat(page.locator(".badge").first()).hasText(JobState.SUCCEEDED.name(), LONG);
    assertThat(page.locator("#progress-label")).containsText("100%");
    assertThat(page.locator("#progress-label")).containsText("20,000 records · 2 failed");
    assertThat(page.locator(".stats")).containsText("Agent-seconds");
    assertThat(page.locator(".stats dd").nth(3)).hasText(Pattern.compile("\\$\\d"));
    assertThat(page.locator(".shard-map .cell.done").first()).isVisible();
    Locator failed = tab.rows("Failed records");
    assertThat(failed).hasCount(2);
    assertThat(failed.nth(0).locator("td").nth(0)).hasText("records.csv");
    assertThat(failed.nth(0).locator("td").nth(1)).hasText("101");
    assertThat(failed.nth(0).locator("td").nth(2)).hasText("expected 3 columns, found 2");
    assertThat(failed.nth(1).locator("td").nth(1)).hasText("2501");

    Download failures = page.waitForDownload(() -> tab.button("Download failed records").click());
    Assertions.assertThat(failures.suggestedFilename()).endsWith("-errors.jsonl");
    Assertions.assertThat(Files.readAllLines(failures.path())).hasSize(2);
    Download output = page.waitForDownload(() -> tab.button("Download output").click());
    Assertions.assertThat(Files.readAllLines(output.path())).hasSize(19_998);
  }

  @Test
  void aJobCanBeCancelledRunAgainWithChangesAndDeleted(Tab tab) throws Exception {
    Page page = tab.page();
    tab.signUp("canceller");
    tab.go("#/files");
    page.getByLabel("Choose files").setInputFiles(csv("big.csv", 300_000));
    assertThat(tab.success("big.csv uploaded.")).isVisible();

    tab.go("#/jobs/new");
    page.getByLabel("big.csv").check();
    page.getByLabel("Shard size (MiB)").fill("0.0625");
    tab.button("Start job").click();
    page.waitForURL(JOB_URL);
    String url = page.url();
    tab.button("Cancel job").click();
    assertThat(page.locator(".badge").first()).hasText(JobState.CANCELLED.name());
    assertThat(tab.success("cancelled")).isVisible();

    page.reload();
    Assertions.assertThat(page.url()).isEqualTo(url);
    assertThat(page.locator(".badge").first()).hasText(JobState.CANCELLED.name());
    tab.link("Run again with changes").click();
    assertThat(page.getByLabel("big.csv")).isChecked();
    assertThat(page.getByLabel("Shard size (MiB)")).hasValue("0.0625");
    page.getByLabel("Shard size (MiB)").fill("1");
    page.getByLabel("Priority").fill("5");
    tab.button("Start job").click();
    page.waitForURL(JOB_URL);
    Assertions.assertThat(page.url()).isNotEqualTo(url);
    assertThat(page.locator(".stats")).containsText("Priority5");
    assertThat(page.locator(".badge").first()).hasText(JobState.SUCCEEDED.name(), LONG);

    page.navigate(url);
    tab.button("Delete").click();
    assertThat(tab.heading("Jobs")).isVisible();
    assertThat(tab.success("deleted")).isVisible();
    assertThat(page.locator("tbody tr")).hasCount(1);

    page.getByLabel("State").selectOption(JobState.CANCELLED.name());
    assertThat(page.locator("tbody")).containsText("No job");
    page.reload();
    assertThat(page.getByLabel("State")).hasValue(JobState.CANCELLED.name());
  }

  @Test
  void aFailedJobShowsWhyAndCanBeRetried(Tab tab) throws Exception {
    Page page = tab.page();
    tab.signUp("retrier");
    tab.go("#/jobs/new");
    page.getByLabel("Choose files").setInputFiles(csv("strict.csv", 500, 7));
    page.getByLabel("Max error rate").fill("0");
    tab.button("Start job").click();
    page.waitForURL(JOB_URL);
    assertThat(page.locator(".badge").first()).hasText(JobState.FAILED.name(), LONG);
    assertThat(tab.error("above the job's maxErrorRate")).isVisible();
    assertThat(tab.rows("Failed records").locator("td").nth(1)).hasText("8");

    tab.button("Retry").click();

    assertThat(tab.success("running again")).isVisible();
    assertThat(page.locator(".badge").first()).hasText(JobState.FAILED.name(), LONG);
    assertThat(tab.button("Delete")).isVisible();
  }

  @Test
  void aJobThatCannotStartIsRefusedBeforeAnyUpload(Tab tab) throws Exception {
    Page page = tab.page();
    tab.signUp("checker");
    tab.go("#/jobs/new");
    page.getByLabel("Processor").selectOption("tf-savedmodel");
    page.getByLabel("Choose files").setInputFiles(csv("never.csv", 10));
    tab.button("Start job").click();

    assertThat(tab.error("needs a model")).isVisible();
    assertThat(page.locator(".uploads")).containsText("waiting");
    tab.go("#/files");
    assertThat(page.locator("tbody")).containsText("No files yet");
  }
}
