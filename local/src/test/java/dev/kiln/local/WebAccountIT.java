package dev.kiln.local;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions, API keys, the password and account deletion, in the browser. */
@ExtendWith(BrowserExtension.class)
class WebAccountIT {

  @Test
  void aSessionOutlivesItsAccessTokenAndSaysClearlyWhenItEnds(Tab tab) throws Exception {
    Page page = tab.page();
    String email = tab.signUp("sessions");
    tab.expectHttpErrors(401);

    page.reload();
    assertThat(tab.heading("Jobs")).isVisible();
    assertThat(page.locator("#who")).containsText(email);
    Thread.sleep(BrowserStack.ACCESS_TOKEN_TTL.plusSeconds(5).toMillis());
    tab.link("Account").click();
    assertThat(tab.heading("Account")).isVisible();
    assertThat(
            page.getByRole(
                com.microsoft.playwright.options.AriaRole.HEADING,
                new Page.GetByRoleOptions().setName(email)))
        .isVisible();

    Page other = tab.another();
    other.navigate("/#/files");
    assertThat(
            other.getByRole(
                com.microsoft.playwright.options.AriaRole.HEADING,
                new Page.GetByRoleOptions().setName("Files").setLevel(1)))
        .isVisible();
    other
        .getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Log out"))
        .click();

    tab.link("Files").click();
    assertThat(tab.heading("Your session ended")).isVisible();
    tab.link("Log in again").click();
    tab.logIn(email, Tab.PASSWORD);
    assertThat(tab.heading("Files")).isVisible();
    Assertions.assertThat(page.url()).endsWith("#/files");
  }

  @Test
  void apiKeysArShownOnceAndRevokedAndThePasswordChangesAndTheAccountGoes(
      Tab tab, BrowserStack stack) throws Exception {
    Page page = tab.page();
    String email = tab.signUp("keys");
    tab.expectHttpErrors(401);
    tab.link("Account").click();
    assertThat(page.locator(".meter-row").nth(1)).containsText("(no budget set)");

    page.getByLabel("New key name").fill("laptop");
    tab.button("Create key").click();
    String key = page.locator("code.secret").textContent();
    Assertions.assertThat(key).startsWith("kiln_");
    Assertions.assertThat(whoami(stack, key)).isEqualTo(200);
    page.reload();
    assertThat(page.locator("code.secret")).hasCount(0);
    tab.button("Revoke").click();
    assertThat(tab.success("Key laptop revoked.")).isVisible();
    assertThat(tab.rows("API keys").first()).containsText("revoked");
    Assertions.assertThat(whoami(stack, key)).isEqualTo(401);

    page.getByLabel("Current password").fill("not the password");
    page.getByLabel("New password").fill("a brand new password");
    tab.button("Change password").click();
    assertThat(tab.error("The current password is wrong")).isVisible();
    tab.expectHttpErrors(403);
    page.getByLabel("Current password").fill(Tab.PASSWORD);
    tab.button("Change password").click();
    assertThat(tab.success("Password changed")).isVisible();

    tab.button("Log out").click();
    assertThat(tab.heading("Log in")).isVisible();
    tab.logIn(email, "a brand new password");
    assertThat(tab.heading("Jobs")).isVisible();

    tab.go("#/account");
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.TEXTBOX,
            new Page.GetByRoleOptions().setName("Password").setExact(true))
        .fill("a brand new password");
    page.getByLabel("I understand").check();
    tab.button("Delete my account").click();
    assertThat(tab.heading("Create your account")).isVisible();
    assertThat(tab.success("deleted")).isVisible();
    tab.go("#/login");
    tab.logIn(email, "a brand new password");
    assertThat(tab.error("wrong")).isVisible();
  }

  private static int whoami(BrowserStack stack, String key) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/api/v1/whoami"))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
