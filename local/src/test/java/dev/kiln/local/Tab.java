package dev.kiln.local;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One browser context (its own cookies and storage) with its pages, collecting what their consoles
 * report as errors. Helpers speak as a user does: by labels, roles and visible text.
 */
final class Tab {
  static final String PASSWORD = "a long enough password";
  private static final Pattern FAILED_LOAD =
      Pattern.compile("Failed to load resource: the server responded with a status of (\\d+).*");

  private final BrowserContext context;
  private final List<Page> pages = new ArrayList<>();
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> expectedStatuses = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean networkFailuresExpected;
  private final Page page;

  private Tab(BrowserContext context) {
    this.context = context;
    this.page = another();
  }

  static Tab open(BrowserStack stack, int width, int height) {
    BrowserContext context =
        stack.browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(width, height)
                .setBaseURL(stack.baseUrl())
                .setAcceptDownloads(true)
                .setLocale("en-GB")
                .setTimezoneId("Europe/Berlin"));
    context.setDefaultTimeout(30_000);
    return new Tab(context);
  }

  /** Another page of the same browser (same cookies and storage), as a second browser tab. */
  Page another() {
    Page next = context.newPage();
    next.onConsoleMessage(
        message -> {
          if ("error".equals(message.type())) {
            errors.add(message.text() + " (" + message.location() + ")");
          }
        });
    next.onPageError(error -> errors.add("uncaught: " + error));
    next.onDialog(dialog -> dialog.accept());
    pages.add(next);
    return next;
  }

  Page page() {
    return page;
  }

  /** The test provokes answers with this HTTP status (a wrong password, an ended session). */
  void expectHttpErrors(int status) {
    expectedStatuses.add(status);
  }

  /** The test makes requests fail on the way (refused or cut uploads). */
  void expectNetworkFailures() {
    networkFailuresExpected = true;
  }

  List<String> unexpectedConsoleErrors() {
    List<String> unexpected = new ArrayList<>();
    synchronized (errors) {
      for (String error : errors) {
        var failed = FAILED_LOAD.matcher(error);
        boolean expected =
            (failed.matches() && expectedStatuses.contains(Integer.parseInt(failed.group(1))))
                || (networkFailuresExpected && error.startsWith("Failed to load resource: net::"));
        if (!expected) {
          unexpected.add(error);
        }
      }
    }
    return unexpected;
  }

  void close() {
    context.close();
  }

  /** Opens a route of the UI, such as {@code #/jobs}. */
  void go(String hash) {
    page.navigate("/" + hash);
  }

  static String newEmail(String who) {
    return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  /** Signs up through the form; answers the e-mail address. */
  String signUp(String who) {
    String email = newEmail(who);
    go("#/signup");
    page.getByLabel("E-mail").fill(email);
    page.getByLabel("Password").fill(PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
    assertThat(heading("Jobs")).isVisible();
    return email;
  }

  void logIn(String email, String password) {
    page.getByLabel("E-mail").fill(email);
    page.getByLabel("Password").fill(password);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
  }

  Locator heading(String name) {
    return page.getByRole(
        AriaRole.HEADING, new Page.GetByRoleOptions().setName(name).setLevel(1).setExact(true));
  }

  Locator button(String name) {
    return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name));
  }

  Locator link(String name) {
    return page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name).setExact(true));
  }

  /** The green message that reports a success. */
  Locator success(String text) {
    return page.locator(".note.ok").filter(new Locator.FilterOptions().setHasText(text));
  }

  /** The red message that reports an error. */
  Locator error(String text) {
    return page.locator(".note.error").filter(new Locator.FilterOptions().setHasText(text));
  }

  /** The rows of the table with this caption. */
  Locator rows(String caption) {
    return page.getByRole(
            AriaRole.REGION, new Page.GetByRoleOptions().setName(caption).setExact(true))
        .locator("tbody tr");
  }

  /** A table row holding {@code text}. */
  Locator row(String text) {
    return page.locator("tbody tr").filter(new Locator.FilterOptions().setHasText(text));
  }
}
