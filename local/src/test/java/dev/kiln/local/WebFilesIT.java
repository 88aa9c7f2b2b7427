package dev.kiln.local;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import dev.kiln.model.FileState;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file library in the browser: uploads straight to the local S3 (its CORS answers the page), in
 * parallel parts with progress, pause, resume and cancel; nothing of a failed or cancelled upload
 * stays counted against the quota.
 */
@ExtendWith(BrowserExtension.class)
class WebFilesIT {
  private static final Pattern PART_PUT =
      Pattern.compile(".*[?&]partNumber=\\d+.*uploadId=.*|.*uploadId=.*[?&]partNumber=\\d+.*");

  @TempDir Path dir;

  /** A file of {@code mib} MiB (sparse: quick to make); 20 MiB goes up in four 5 MiB parts. */
  private Path file(String name, int mib) throws Exception {
    Path path = dir.resolve(name);
    try (RandomAccessFile out = new RandomAccessFile(path.toFile(), "rw")) {
      out.setLength(mib * 1024L * 1024L);
      out.write("id,name\n".getBytes());
    }
    return path;
  }

  @Test
  void aFailedUploadLeavesNothingAndAPausedOneResumes(Tab tab) throws Exception {
    Page page = tab.page();
    tab.signUp("uploader");
    tab.expectNetworkFailures();
    tab.go("#/files");

    page.route(url -> PART_PUT.matcher(url).matches(), Route::abort);
    page.getByLabel("Choose files").setInputFiles(file("refused.bin", 20));
    assertThat(tab.error("Could not reach the storage to upload refused.bin")).isVisible();
    assertThat(page.locator(".upload.failed")).containsText("refused.bin");
    assertThat(page.locator("tbody")).containsText("No files yet");
    page.unrouteAll();

    AtomicBoolean held = new AtomicBoolean();
    page.route(
        url -> url.contains("partNumber=3"),
        route -> {
          if (!held.getAndSet(true)) {
            return; // left hanging until the upload is paused
          }
          route.resume();
        });
    page.getByLabel("Choose files").setInputFiles(file("paused.bin", 20));
    assertThat(page.locator(".upload.uploading"))
        .containsText(Pattern.compile("\\d+% · .*/s · .* left"));
    assertThat(page.locator(".upload.uploading progress"))
        .hasAttribute("value", Pattern.compile("[1-9].*"));
    tab.button("Pause").click();
    assertThat(page.locator(".upload.paused")).containsText("paused");
    tab.button("Resume").click();
    assertThat(tab.success("paused.bin uploaded.")).isVisible();
    assertThat(tab.rows("Your files")).hasCount(1);
    assertThat(tab.rows("Your files").first()).containsText(FileState.READY.name());

    tab.go("#/account");
    assertThat(page.locator(".meter-row").first()).containsText("21 MB of");
  }

  @Test
  void aCancelledUploadIsGoneAndADroppedFileArrives(Tab tab) throws Exception {
    Page page = tab.page();
    tab.signUp("dropper");
    tab.expectNetworkFailures();
    tab.go("#/files");
    page.route(url -> PART_PUT.matcher(url).matches(), route -> {});
    page.getByLabel("Choose files").setInputFiles(file("cancelled.bin", 20));
    assertThat(page.locator(".upload.uploading")).containsText("cancelled.bin");
    tab.button("Cancel").click();
    assertThat(page.locator(".upload.cancelled")).containsText("cancelled");
    page.unrouteAll();

    JSHandle transfer =
        page.evaluateHandle(
            "() => { const t = new DataTransfer();"
                + " t.items.add(new File(['id,name\\n1,a\\n'], 'dropped.csv', {type: 'text/csv'}));"
                + " return t; }");
    page.locator(".drop").dispatchEvent("drop", Map.of("dataTransfer", transfer));
    assertThat(tab.success("dropped.csv uploaded.")).isVisible();
    assertThat(tab.rows("Your files")).hasCount(1);
    assertThat(tab.rows("Your files").first()).containsText("dropped.csv");

    tab.link("dropped.csv").click();
    assertThat(tab.heading("dropped.csv")).isVisible();
    page.reload();
    assertThat(tab.heading("dropped.csv")).isVisible();
    tab.button("Delete").click();
    assertThat(tab.success("dropped.csv deleted.")).isVisible();
    assertThat(page.locator("tbody")).containsText("No files yet");
    tab.go("#/account");
    assertThat(page.locator(".meter-row").first()).containsText("0 B of");
  }
}
