package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.protocol.LogFields;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.security.Principal;
import org.slf4j.MDC;

/**
 * Puts the caller's account and, on a job's resources, the job's id on the log lines of the rest of
 * the request (after authentication); {@link RequestIdFilter} clears them when the request leaves.
 * Thread-safe.
 */
@Priority(Priorities.AUTHORIZATION + 1)
public final class LogContextFilter implements ContainerRequestFilter {
  private static final String JOBS = "api/v1/jobs/";

  @Override
  public void filter(ContainerRequestContext request) {
    Principal principal =
        request.getSecurityContext() == null
            ? null
            : request.getSecurityContext().getUserPrincipal();
    if (principal instanceof KilnPrincipal caller) {
      MDC.put(LogFields.ACCOUNT, caller.accountId().toString());
    }
    String path = request.getUriInfo().getPath();
    String id = request.getUriInfo().getPathParameters().getFirst("id");
    if (id != null && path.startsWith(JOBS)) {
      MDC.put(LogFields.JOB, id);
    }
  }
}
