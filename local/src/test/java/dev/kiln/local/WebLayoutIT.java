package dev.kiln.local;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every page at a phone's width (390 and 360 px) and a laptop's (1366 px): no sideways scrolling,
 * landmarks, a name for every control, and the keyboard's way in. Screenshots of each page are kept
 * under {@code target/browser-screenshots/layout}.
 */
@ExtendWith(BrowserExtension.class)
class WebLayoutIT {
  private static final String UNNAMED_CONTROLS =
      "() => [...document.querySelectorAll('input, select, textarea, button')]"
          + ".filter(e => e.type !== 'hidden' && e.offsetParent !== null)"
          + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
          + " && !e.getAttribute('aria-labelledby') && !(e.tagName === 'BUTTON' && e.textContent.trim()))"
          + ".map(e => e.outerHTML.slice(0, 120))";

  @TempDir Path dir;

  @Test
  void everyPageFitsPhonesAndLaptopsAndNamesItsControls(Tab tab, BrowserStack stack)
      throws Exception {
    Page page = tab.page();
    tab.go("#/login");
    tab.logIn(stack.platform.account().email(), stack.platform.account().password());
    assertThat(tab.heading("Jobs")).isVisible();
    tab.go("#/files");
    page.getByLabel("Choose files")
        .setInputFiles(Files.writeString(dir.resolve("small.csv"), "id,name\n1,a\n2,b\n"));
    assertThat(tab.success("small.csv uploaded.")).isVisible();
    tab.go("#/jobs/new");
    page.getByLabel("small.csv").check();
    tab.button("Start job").click();
    page.waitForURL(java.util.regex.Pattern.compile(".*#/jobs/[0-9a-f-]{36}$"));
    String job = page.url().substring(page.url().indexOf('#'));

    List<String> routes =
        List.of(
            "#/jobs",
            "#/jobs/new",
            job,
            "#/files",
            "#/credits",
            "#/account",
            "#/console",
            "#/console/queues",
            "#/console/dead-letters",
            "#/console/jobs",
            "#/console/agents",
            "#/console/users",
            "#/console/audit",
            "#/console/releases");
    for (int[] size : new int[][] {{390, 844}, {360, 740}, {1366, 800}}) {
      page.setViewportSize(size[0], size[1]);
      for (String route : routes) {
        tab.go(route);
        assertThat(page.locator("main h1")).isVisible();
        page.waitForLoadState();
        page.waitForTimeout(300);
        String name = route.replaceAll("[^a-z0-9]+", "-").replaceAll("-[0-9a-f]{8}-.*", "-job");
        page.screenshot(
            new Page.ScreenshotOptions()
                .setPath(
                    BrowserExtension.SCREENSHOTS.resolve("layout").resolve(size[0] + name + ".png"))
                .setFullPage(true));
        Object overflow =
            page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assertions.assertThat(((Number) overflow).intValue())
            .as("sideways overflow of %s at %d px", route, size[0])
            .isLessThanOrEqualTo(0);
        Assertions.assertThat(page.evaluate(UNNAMED_CONTROLS))
            .as("controls without a name on %s", route)
            .asList()
            .isEmpty();
      }
    }

    assertThat(page.getByRole(AriaRole.BANNER)).hasCount(1);
    assertThat(page.getByRole(AriaRole.MAIN)).hasCount(1);
    assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main")))
        .isVisible();
    tab.go("#/jobs");
    assertThat(tab.heading("Jobs")).isVisible();
    page.locator("#skip").focus();
    assertThat(page.locator("#skip")).isInViewport();
    page.keyboard().press("Enter");
    assertThat(page.locator("main")).isFocused();
    page.keyboard().press("Tab");
    page.keyboard().press("Tab");
    Assertions.assertThat(page.evaluate("() => document.activeElement.tagName"))
        .as("the keyboard reaches the page's controls")
        .isIn("A", "BUTTON", "INPUT", "SELECT");
  }

  @Test
  void timesAreLocalAndReadable(Tab tab) {
    tab.signUp("clock");
    tab.go("#/account");
    String shown = tab.page().locator("main time").first().textContent();
    Assertions.assertThat(shown).doesNotContain("T").doesNotContain("Z").matches(".*\\d{4}.*");
  }
}
