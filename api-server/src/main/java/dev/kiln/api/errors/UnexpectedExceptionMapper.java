package dev.kiln.api.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every unexpected failure: a 500 whose error id names the log line with the stack trace. */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

  @Context private UriInfo uriInfo;

  @Override
  public Response toResponse(Throwable e) {
    String errorId = UUID.randomUUID().toString();
    LOG.error("Unexpected error {}", errorId, e);
    return Problems.response(
        500,
        "server-error",
        "Internal server error",
        "Something went wrong on our side; retry later, and quote error id "
            + errorId
            + " if it persists.",
        uriInfo,
        errorId,
        Map.of());
  }
}
