package dev.kiln.api;

import dev.kiln.api.AuthorizationMatrixIT.Call;
import dev.kiln.api.AuthorizationMatrixIT.Callers;
import dev.kiln.api.AuthorizationMatrixIT.Row;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The authorization matrix's rows for the operator console's views and actions: anonymous callers
 * get 401, users 403, admins the answer. Actions on a dead letter or an agent that does not exist
 * answer an admin 404 (their successes are {@code DeadLetterIT}'s and {@code OperationsIT}'s).
 */
final class OperatorMatrixRows {
  private final ApiHarness api;
  private final Fixtures fixtures;

  OperatorMatrixRows(ApiHarness api, Fixtures fixtures) {
    this.api = api;
    this.fixtures = fixtures;
  }

  List<Row> rows() {
    String deadLetter = "/api/v1/admin/dead-letters/" + UUID.randomUUID() + "/0";
    return List.of(
        admin("GET", "/api/v1/admin/overview", c -> new Call("/api/v1/admin/overview", null), 200),
        admin("GET", "/api/v1/admin/queues", c -> new Call("/api/v1/admin/queues", null), 200),
        admin(
            "GET",
            "/api/v1/admin/dead-letters",
            c -> new Call("/api/v1/admin/dead-letters?processor=parse", null),
            200),
        admin(
            "POST",
            "/api/v1/admin/dead-letters/requeue",
            c -> new Call("/api/v1/admin/dead-letters/requeue", Map.of("processor", "none")),
            202),
        admin(
            "POST",
            "/api/v1/admin/dead-letters/{jobId}/{shardIndex}/requeue",
            c -> new Call(deadLetter + "/requeue", null),
            404),
        admin(
            "DELETE",
            "/api/v1/admin/dead-letters/{jobId}/{shardIndex}",
            c -> new Call(deadLetter, null),
            404),
        admin("GET", "/api/v1/admin/agents", c -> new Call("/api/v1/admin/agents", null), 200),
        admin(
            "POST",
            "/api/v1/admin/agents/{id}/drain",
            c -> new Call("/api/v1/admin/agents/no-such-agent/drain", null),
            404),
        admin(
            "POST",
            "/api/v1/admin/jobs/{id}/cancel",
            c ->
                new Call(
                    "/api/v1/admin/jobs/" + fixtures.submittedJob(c.owner()) + "/cancel", null),
            202),
        admin(
            "PUT",
            "/api/v1/admin/accounts/{id}/quota",
            c ->
                new Call(
                    "/api/v1/admin/accounts/" + victim() + "/quota",
                    Map.of("quotaBytes", 1_000_000)),
            200),
        admin(
            "PUT",
            "/api/v1/admin/accounts/{id}/role",
            c -> new Call("/api/v1/admin/accounts/" + victim() + "/role", Map.of("role", "USER")),
            200));
  }

  private UUID victim() {
    return fixtures.accountId(api.newUser());
  }

  private static Row admin(String method, String template, Function<Callers, Call> call, int ok) {
    return new Row(method, template, false, call, 401, 403, 403, ok);
  }
}
