package dev.kiln.local;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.AgentView;
import dev.kiln.model.fleet.AgentState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An operator drains the local agent from the console and sees it draining; the agent is then
 * stopped, and the local fleet starts another, so the shared platform keeps working.
 */
@ExtendWith(BrowserExtension.class)
class WebAgentDrainIT {
  @Test
  void anOperatorDrainsAnAgentFromTheConsoleAndSeesItDraining(Tab tab, BrowserStack stack) {
    KilnClient login = new KilnClient(stack.platform.apiUrl());
    login.login(stack.platform.account().email(), stack.platform.account().password());
    KilnClient admin =
        new KilnClient(stack.platform.apiUrl(), login.createApiKey("agent drain").key());
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> admin.admin().agents().items().stream().anyMatch(a -> !a.draining()));
    tab.go("#/login");
    tab.logIn(stack.platform.account().email(), stack.platform.account().password());
    assertThat(tab.heading("Jobs")).isVisible();

    tab.go("#/console/agents");
    Locator row =
        tab.rows("Agents")
            .filter(
                new Locator.FilterOptions()
                    .setHas(
                        tab.page()
                            .getByRole(
                                AriaRole.BUTTON,
                                new com.microsoft.playwright.Page.GetByRoleOptions()
                                    .setName("Drain"))))
            .first();
    String agentId = row.locator("td").first().textContent().strip();
    try {
      row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Drain")).click();

      assertThat(tab.success("Agent " + agentId + " is draining.")).isVisible();
      Locator drained = tab.row(agentId);
      assertThat(drained.locator(".badge")).hasText(AgentState.DRAINING.name());
      assertThat(drained).containsText("asked it to drain");
      assertThat(
              drained.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Drain")))
          .hasCount(0);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> state(admin, agentId).equals(AgentState.DRAINING.name()));
    } finally {
      replace(stack, admin, agentId);
    }
  }

  private static String state(KilnClient admin, String agentId) {
    return admin.admin().agents().items().stream()
        .filter(a -> a.agentId().equals(agentId))
        .map(AgentView::state)
        .findFirst()
        .orElse("gone");
  }

  /** Stops the drained agent's process; the local fleet starts a fresh one in its place. */
  private static void replace(BrowserStack stack, KilnClient admin, String agentId) {
    List<String> ids = stack.platform.fleet().agentIds();
    List<Long> pids = stack.platform.fleet().pids();
    int at = ids.indexOf(agentId);
    if (at >= 0 && at < pids.size()) {
      ProcessHandle.of(pids.get(at)).ifPresent(ProcessHandle::destroy);
    }
    await()
        .atMost(Duration.ofSeconds(180))
        .until(
            () ->
                admin.admin().agents().items().stream()
                    .anyMatch(
                        a ->
                            !a.agentId().equals(agentId)
                                && !a.draining()
                                && AgentState.RUNNING.name().equals(a.state())));
  }
}
