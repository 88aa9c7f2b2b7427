package dev.kiln.api.resources;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import dev.kiln.api.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Public health of one API server. {@code /v1/health/live} is the load balancer's check: 200 while
 * the process serves requests, whatever PostgreSQL, Redis and S3 do, so a database failover (or a
 * dev database stopped for the night) does not make the load balancer and the Auto Scaling group
 * replace every server. {@code /v1/health} is readiness for people and deploy scripts: 200 when
 * PostgreSQL, Redis and S3 answer, else 503 naming what does not. Says nothing else about the
 * platform. Thread-safe.
 */
@Path("/v1/health")
public class HealthResource {
  private final HealthCheckRegistry checks;

  public HealthResource(HealthCheckRegistry checks) {
    this.checks = checks;
  }

  @GET
  @Path("/live")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> live() {
    return Map.of("status", "alive");
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> get() {
    SortedMap<String, HealthCheck.Result> results = checks.runHealthChecks();
    List<String> failing =
        results.entrySet().stream()
            .filter(e -> !e.getValue().isHealthy())
            .map(Map.Entry::getKey)
            .toList();
    if (!failing.isEmpty()) {
      throw ApiException.unavailable(
          "Not ready: "
              + String.join(", ", failing)
              + " did not answer; see the admin port's /healthcheck.");
    }
    return Map.of("status", "ok");
  }
}
