package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.api.resources.OpenApiDocumentTest;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every endpoint x {anonymous, owner, another user, admin}. Another user's (and an admin's, outside
 * the operator API) request for the owner's job or file answers 404 without its content.
 */
@ExtendWith(KilnStackExtension.class)
class AuthorizationMatrixIT {
  private static ApiHarness api;
  private static Fixtures fixtures;

  enum Who {
    ANONYMOUS,
    OTHER,
    ADMIN,
    OWNER
  }

  /** Tokens of the four callers; the owner's resources are made with {@code owner}. */
  record Callers(String owner, String ownerEmail, String other, String admin) {
    String token(Who who) {
      return switch (who) {
        case ANONYMOUS -> null;
        case OWNER -> owner;
        case OTHER -> other;
        case ADMIN -> admin;
      };
    }
  }

  /** What a row needs: a path (made fresh for each caller) and a body. */
  record Call(String path, Object body) {}

  record Row(
      String method,
      String template,
      boolean freshCallers,
      Function<Callers, Call> call,
      int anonymous,
      int owner,
      int other,
      int admin) {
    int expected(Who who) {
      return switch (who) {
        case ANONYMOUS -> anonymous;
        case OWNER -> owner;
        case OTHER -> other;
        case ADMIN -> admin;
      };
    }
  }

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api =
        ApiHarness.start(
            stack, ConfigOverride.config("notifications.allowLoopbackWebhooks", "true"));
    fixtures = new Fixtures(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static Callers callers() {
    String ownerEmail = "owner-" + UUID.randomUUID() + "@example.com";
    return new Callers(
        api.signup(ownerEmail),
        ownerEmail,
        api.newUser(),
        fixtures.makeAdmin("admin-" + UUID.randomUUID() + "@example.com"));
  }

  private static List<Row> rows() {
    String pw = ApiHarness.PASSWORD;
    List<Row> rows = new ArrayList<>();
    rows.add(
        row(
            "POST",
            "/api/v1/auth/signup",
            false,
            c ->
                new Call(
                    "/api/v1/auth/signup",
                    Map.of("email", "new-" + UUID.randomUUID() + "@example.com", "password", pw)),
            201,
            201,
            201,
            201));
    rows.add(
        row(
            "POST",
            "/api/v1/auth/login",
            false,
            c -> new Call("/api/v1/auth/login", Map.of("email", c.ownerEmail(), "password", pw)),
            200,
            200,
            200,
            200));
    rows.add(
        row(
            "POST",
            "/api/v1/auth/refresh",
            false,
            c -> new Call("/api/v1/auth/refresh", null),
            401,
            401,
            401,
            401));
    rows.add(
        row(
            "POST",
            "/api/v1/auth/logout",
            true,
            c -> new Call("/api/v1/auth/logout", null),
            401,
            204,
            204,
            204));
    rows.add(
        row(
            "GET",
            "/api/v1/whoami",
            false,
            c -> new Call("/api/v1/whoami", null),
            401,
            200,
            200,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/account",
            false,
            c -> new Call("/api/v1/account", null),
            401,
            200,
            200,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/account/usage",
            false,
            c -> new Call("/api/v1/account/usage", null),
            401,
            200,
            200,
            200));
    rows.add(
        row(
            "POST",
            "/api/v1/account/password",
            true,
            c ->
                new Call(
                    "/api/v1/account/password",
                    Map.of("currentPassword", pw, "newPassword", "another long password")),
            401,
            200,
            200,
            200));
    rows.add(
        row(
            "POST",
            "/api/v1/account/delete",
            true,
            c -> new Call("/api/v1/account/delete", Map.of("password", pw)),
            401,
            204,
            204,
            204));
    rows.add(
        row(
            "GET",
            "/api/v1/account/api-keys",
            false,
            c -> new Call("/api/v1/account/api-keys", null),
            401,
            200,
            200,
            200));
    rows.add(
        row(
            "POST",
            "/api/v1/account/api-keys",
            false,
            c -> new Call("/api/v1/account/api-keys", Map.of("name", "ci")),
            401,
            201,
            201,
            201));
    rows.add(
        row(
            "DELETE",
            "/api/v1/account/api-keys/{keyId}",
            false,
            c ->
                new Call(
                    "/api/v1/account/api-keys/"
                        + api.post("/api/v1/account/api-keys", c.owner(), Map.of("name", "k"))
                            .text("id"),
                    null),
            401,
            204,
            404,
            404));
    rows.add(
        row(
            "POST",
            "/api/v1/files",
            false,
            c -> new Call("/api/v1/files", Map.of("name", "n.csv", "sizeBytes", 10)),
            401,
            201,
            201,
            201));
    rows.add(
        row(
            "GET",
            "/api/v1/files",
            false,
            c -> new Call("/api/v1/files", null),
            401,
            200,
            200,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/files/{id}",
            false,
            c -> new Call("/api/v1/files/" + fixtures.readyFile(c.owner()), null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "POST",
            "/api/v1/files/{id}/complete",
            false,
            c ->
                new Call(
                    "/api/v1/files/" + fixtures.uploadedPendingFile(c.owner()) + "/complete", null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "POST",
            "/api/v1/files/{id}/abort",
            false,
            c -> new Call("/api/v1/files/" + fixtures.pendingFile(c.owner()) + "/abort", null),
            401,
            204,
            404,
            404));
    rows.add(
        row(
            "GET",
            "/api/v1/files/{id}/download",
            false,
            c -> new Call("/api/v1/files/" + fixtures.readyFile(c.owner()) + "/download", null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "DELETE",
            "/api/v1/files/{id}",
            false,
            c -> new Call("/api/v1/files/" + fixtures.readyFile(c.owner()), null),
            401,
            204,
            404,
            404));
    rows.add(
        row(
            "POST",
            "/api/v1/jobs",
            false,
            c ->
                new Call(
                    "/api/v1/jobs",
                    Map.of("processor", "parse", "inputs", List.of(fixtures.readyFile(c.owner())))),
            401,
            202,
            404,
            404));
    rows.add(
        row("GET", "/api/v1/jobs", false, c -> new Call("/api/v1/jobs", null), 401, 200, 200, 200));
    rows.add(
        row(
            "GET",
            "/api/v1/jobs/{id}",
            false,
            c -> new Call("/api/v1/jobs/" + fixtures.submittedJob(c.owner()), null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "POST",
            "/api/v1/jobs/{id}/cancel",
            false,
            c -> new Call("/api/v1/jobs/" + fixtures.submittedJob(c.owner()) + "/cancel", null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "POST",
            "/api/v1/jobs/{id}/retry",
            false,
            c -> new Call("/api/v1/jobs/" + fixtures.failedJob(c.owner()) + "/retry", null),
            401,
            202,
            404,
            404));
    rows.add(
        row(
            "DELETE",
            "/api/v1/jobs/{id}",
            false,
            c -> new Call("/api/v1/jobs/" + fixtures.cancelledJob(c.owner()), null),
            401,
            204,
            404,
            404));
    rows.add(
        row(
            "GET",
            "/api/v1/jobs/{id}/outputs/{position}/download",
            false,
            c ->
                new Call(
                    "/api/v1/jobs/"
                        + fixtures.succeededJob(c.owner(), "out\n")
                        + "/outputs/0/download",
                    null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "GET",
            "/api/v1/jobs/{id}/errors",
            false,
            c -> new Call("/api/v1/jobs/" + fixtures.cancelledJob(c.owner()) + "/errors", null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "GET",
            "/api/v1/jobs/{id}/cost",
            false,
            c -> new Call("/api/v1/jobs/" + fixtures.cancelledJob(c.owner()) + "/cost", null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "GET",
            "/api/v1/jobs/{id}/errors.jsonl",
            false,
            c ->
                new Call(
                    "/api/v1/jobs/" + fixtures.cancelledJob(c.owner()) + "/errors.jsonl", null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "GET",
            "/api/v1/jobs/{id}/events",
            false,
            c -> new Call("/api/v1/jobs/" + fixtures.cancelledJob(c.owner()) + "/events", null),
            401,
            200,
            404,
            404));
    rows.add(
        row(
            "GET",
            "/api/v1/admin/accounts",
            false,
            c -> new Call("/api/v1/admin/accounts", null),
            401,
            403,
            403,
            200));
    rows.add(
        row(
            "POST",
            "/api/v1/admin/accounts/{id}/disable",
            false,
            c -> new Call("/api/v1/admin/accounts/" + victim() + "/disable", null),
            401,
            403,
            403,
            204));
    rows.add(
        row(
            "POST",
            "/api/v1/admin/accounts/{id}/enable",
            false,
            c -> new Call("/api/v1/admin/accounts/" + victim() + "/enable", null),
            401,
            403,
            403,
            204));
    rows.add(
        row(
            "DELETE",
            "/api/v1/admin/accounts/{id}",
            false,
            c -> new Call("/api/v1/admin/accounts/" + victim(), null),
            401,
            403,
            403,
            204));
    rows.add(
        row(
            "GET",
            "/api/v1/admin/jobs",
            false,
            c -> new Call("/api/v1/admin/jobs", null),
            401,
            403,
            403,
            200));
    rows.add(
        row(
            "PUT",
            "/api/v1/admin/accounts/{id}/budget",
            false,
            c ->
                new Call(
                    "/api/v1/admin/accounts/" + victim() + "/budget",
                    Map.of("monthlyBudgetUsd", 100)),
            401,
            403,
            403,
            200));
    rows.add(
        row(
            "POST",
            "/api/v1/admin/accounts/{id}/credits",
            false,
            c ->
                new Call(
                    "/api/v1/admin/accounts/" + victim() + "/credits",
                    Map.of("amountUsd", 5, "memo", "trial")),
            401,
            403,
            403,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/credits",
            false,
            c -> new Call("/api/v1/credits", null),
            401,
            200,
            200,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/credits/statement",
            false,
            c -> new Call("/api/v1/credits/statement", null),
            401,
            200,
            200,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/credits/statement.csv",
            false,
            c -> new Call("/api/v1/credits/statement.csv", null),
            401,
            200,
            200,
            200));
    // No payment provider in this configuration: buying credits is refused with what to do.
    rows.add(
        row(
            "POST",
            "/api/v1/credits/checkout",
            false,
            c -> new Call("/api/v1/credits/checkout", Map.of("amountUsd", 5)),
            401,
            409,
            409,
            409));
    rows.add(
        row(
            "POST",
            "/api/v1/payments/stripe/webhook",
            false,
            c -> new Call("/api/v1/payments/stripe/webhook", Map.of("type", "ping")),
            404,
            404,
            404,
            404));
    rows.add(
        row(
            "GET",
            "/api/v1/payments/local/{session}",
            false,
            c -> new Call("/api/v1/payments/local/cs_local_none", null),
            404,
            404,
            404,
            404));
    rows.add(
        row(
            "POST",
            "/api/v1/payments/local/{session}/pay",
            false,
            c -> new Call("/api/v1/payments/local/cs_local_none/pay", null),
            404,
            404,
            404,
            404));
    rows.add(
        row(
            "GET",
            "/api/v1/admin/fleet",
            false,
            c -> new Call("/api/v1/admin/fleet", null),
            401,
            403,
            403,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/admin/releases",
            false,
            c -> new Call("/api/v1/admin/releases", null),
            401,
            403,
            403,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/admin/audit",
            false,
            c -> new Call("/api/v1/admin/audit", null),
            401,
            403,
            403,
            200));
    rows.addAll(new NotificationMatrixRows(api, fixtures).rows());
    rows.addAll(new OperatorMatrixRows(api, fixtures).rows());
    rows.add(
        row(
            "GET",
            "/api/v1/openapi.json",
            false,
            c -> new Call("/api/v1/openapi.json", null),
            200,
            200,
            200,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/health",
            false,
            c -> new Call("/api/v1/health", null),
            200,
            200,
            200,
            200));
    rows.add(
        row(
            "GET",
            "/api/v1/health/live",
            false,
            c -> new Call("/api/v1/health/live", null),
            200,
            200,
            200,
            200));
    return rows;
  }

  private static UUID victim() {
    return fixtures.accountId(api.newUser());
  }

  private static Row row(
      String method,
      String template,
      boolean fresh,
      Function<Callers, Call> call,
      int anonymous,
      int owner,
      int other,
      int admin) {
    return new Row(method, template, fresh, call, anonymous, owner, other, admin);
  }

  @Test
  void theMatrixCoversEveryEndpoint() {
    Set<String> covered = new TreeSet<>();
    rows().forEach(row -> covered.add(row.method() + " " + row.template()));

    assertThat(covered).isEqualTo(OpenApiDocumentTest.implementedOperations());
  }

  @Test
  void everyEndpointAnswersEachCallerAsExpected() {
    Callers shared = callers();
    Map<String, String> failures = new LinkedHashMap<>();
    for (Row row : rows()) {
      Callers callers = row.freshCallers() ? callers() : shared;
      for (Who who : Who.values()) {
        Call call = row.call().apply(callers);
        Answer answer =
            api.call(
                row.method(),
                call.path(),
                callers.token(who),
                call.body() == null ? null : api.toJson(call.body()));
        String label = row.method() + " " + row.template() + " as " + who;
        if (answer.status() != row.expected(who)) {
          failures.put(label, answer.status() + " " + answer.raw().body());
        }
        if (answer.status() >= 400) {
          if (!answer.contentType().startsWith("application/problem+json")) {
            failures.put(label + " (type)", answer.contentType());
          }
          if (answer.raw().body().contains("secret-name")) {
            failures.put(label + " (leak)", answer.raw().body());
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }
}
