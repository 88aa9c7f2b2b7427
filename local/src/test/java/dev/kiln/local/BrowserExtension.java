package dev.kiln.local;

import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands each browser test a fresh {@link Tab} (its own cookies and storage) on the shared {@link
 * BrowserStack}. After the test it saves a screenshot of every tab under {@code
 * target/browser-screenshots} when the test failed, and fails the test on any error the browser's
 * console showed that the test did not expect.
 */
public final class BrowserExtension implements ParameterResolver, AfterEachCallback {
  static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BrowserExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Tab.class || type == BrowserStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    BrowserStack stack = BrowserStack.get(context);
    if (parameter.getParameter().getType() == BrowserStack.class) {
      return stack;
    }
    Tab tab = Tab.open(stack, 1366, 800);
    tabs(context).add(tab);
    return tab;
  }

  @SuppressWarnings("unchecked")
  static List<Tab> tabs(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("tabs", key -> new ArrayList<Tab>(), List.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<Tab> tabs = tabs(context);
    String name =
        context.getRequiredTestClass().getSimpleName()
            + "-"
            + context.getRequiredTestMethod().getName();
    List<String> errors = new ArrayList<>();
    try {
      for (int i = 0; i < tabs.size(); i++) {
        Tab tab = tabs.get(i);
        if (context.getExecutionException().isPresent()) {
          try {
            tab.page()
                .screenshot(
                    new Page.ScreenshotOptions()
                        .setPath(SCREENSHOTS.resolve(name + (i == 0 ? "" : "-" + i) + ".png"))
                        .setFullPage(true));
          } catch (RuntimeException e) {
            errors.add("could not save a screenshot: " + e.getMessage());
          }
        }
        errors.addAll(tab.unexpectedConsoleErrors());
      }
    } finally {
      tabs.forEach(Tab::close);
      tabs.clear();
    }
    if (context.getExecutionException().isEmpty() && !errors.isEmpty()) {
      throw new AssertionError(
          "the browser's console showed errors:\n  " + String.join("\n  ", errors));
    }
  }
}
