package dev.kiln.local;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One whole local platform (with one agent process) and one headless Debian Chromium, shared by
 * every browser test of the run and closed when the run ends. The access token lives 30 seconds
 * here, so the tests see sessions renewed through the refresh cookie; files are uploaded in 5 MiB
 * parts, so a small file is uploaded in several parts at once.
 */
final class BrowserStack implements AutoCloseable {
  static final Duration ACCESS_TOKEN_TTL = Duration.ofSeconds(30);
  static final Path CHROMIUM = Path.of(System.getProperty("kiln.chromium", "/usr/bin/chromium"));
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BrowserStack.class);

  final Path dataDir;
  final LocalPlatform platform;
  final Playwright playwright;
  final Browser browser;

  private BrowserStack(
      Path dataDir, LocalPlatform platform, Playwright playwright, Browser browser) {
    this.dataDir = dataDir;
    this.platform = platform;
    this.playwright = playwright;
    this.browser = browser;
  }

  static BrowserStack get(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(BrowserStack.class, key -> start(), BrowserStack.class);
  }

  private static BrowserStack start() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(
          CHROMIUM + " is missing: install Debian's chromium (infra/install-tools.sh does).");
    }
    Path dataDir;
    LocalPlatform platform;
    try {
      dataDir = Files.createTempDirectory("kiln-web-");
      platform =
          LocalPlatform.start(
              new LocalSettings(
                      dataDir,
                      0,
                      0,
                      1,
                      1,
                      System.getProperty("java.class.path"),
                      TestSettings.javacppCacheDir(),
                      false)
                  .withApiOverrides(
                      Map.of(
                          "auth.accessTokenTtl",
                          ACCESS_TOKEN_TTL.toSeconds() + " seconds",
                          "files.partSize",
                          "5MiB")));
    } catch (Exception e) {
      throw new IllegalStateException("could not start the local platform", e);
    }
    // The machine may be busy: give every assertion as long as every action.
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    Playwright playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    Browser browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync")));
    return new BrowserStack(dataDir, platform, playwright, browser);
  }

  String baseUrl() {
    return platform.apiUrl().toString();
  }

  @Override
  public void close() {
    try {
      browser.close();
      playwright.close();
    } finally {
      platform.close();
      deleteTree(dataDir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
