package dev.kiln.local;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Download;
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

/** A job cancelled part way is retried from its page, resumes and delivers every record. */
@ExtendWith(BrowserExtension.class)
class WebCancelledRetryIT {
  private static final LocatorAssertions.HasTextOptions LONG =
      new LocatorAssertions.HasTextOptions().setTimeout(240_000);
  private static final int ROWS = 600_000;

  @TempDir Path dir;

  @Test
  void aCancelledJobIsRetriedAndSucceedsWithEveryRecord(Tab tab) throws Exception {
    Page page = tab.page();
    tab.signUp("resumer");
    StringBuilder text = new StringBuilder("id,name,score\n");
    for (int i = 1; i <= ROWS; i++) {
      text.append(i).append(",name-").append(i).append(',').append(i % 97).append('\n');
    }
    Path input = Files.writeString(dir.resolve("long.csv"), text, StandardCharsets.UTF_8);

    tab.go("#/jobs/new");
    page.getByLabel("Choose files").setInputFiles(input);
    page.getByLabel("Shard size (MiB)").fill("0.0625");
    tab.button("Start job").click();
    page.waitForURL(Pattern.compile(".*#/jobs/[0-9a-f-]{36}$"));
    assertThat(page.locator(".shard-map .cell.done").first()).isVisible();
    tab.button("Cancel job").click();
    assertThat(page.locator(".badge").first()).hasText(JobState.CANCELLED.name());

    tab.button("Retry").click();

    assertThat(tab.success("running again")).isVisible();
    assertThat(page.locator(".badge").first()).hasText(JobState.SUCCEEDED.name(), LONG);
    assertThat(page.locator("#progress-label")).containsText("100%");
    assertThat(page.locator("#progress-label")).containsText("600,000 records · 0 failed");
    Download output = page.waitForDownload(() -> tab.button("Download output").click());
    Assertions.assertThat(Files.readAllLines(output.path())).hasSize(ROWS);
  }
}
