package dev.kiln.api.errors;

import dev.kiln.dropwizard.Outages;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.Providers;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request that failed because PostgreSQL or Redis is unreachable answers {@code 503} with {@code
 * Retry-After} (the client should come back), not {@code 500}; any other unmapped failure goes on
 * to the mapper of every {@link Throwable}.
 */
@Provider
public class OutageExceptionMapper implements ExceptionMapper<RuntimeException> {
  /** Seconds a client is asked to wait before retrying. */
  static final int RETRY_AFTER_SECONDS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(OutageExceptionMapper.class);

  @Context private UriInfo uriInfo;
  @Context private Providers providers;

  @Override
  public Response toResponse(RuntimeException e) {
    Optional<String> store = Outages.unavailable(e);
    if (store.isEmpty()) {
      return providers.getExceptionMapper(Throwable.class).toResponse(e);
    }
    LOG.warn("{} is unavailable; answering 503: {}", store.get(), e.toString());
    return Problems.response(
        503,
        "unavailable",
        "Service unavailable",
        store.get() + " is unavailable for a moment; retry in " + RETRY_AFTER_SECONDS + " seconds.",
        uriInfo,
        null,
        Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
  }
}
