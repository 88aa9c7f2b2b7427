package dev.kiln.api.errors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;

/** Bean-validation failures (for example a missing body) as a 422 problem. */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {
  @Context private UriInfo uriInfo;

  @Override
  public Response toResponse(ConstraintViolationException e) {
    String detail =
        e.getConstraintViolations().stream()
            .map(ConstraintViolationMapper::describe)
            .sorted()
            .collect(Collectors.joining("; "));
    return Problems.response(422, "invalid-request", "The request is not valid", detail, uriInfo);
  }

  private static String describe(ConstraintViolation<?> violation) {
    String path = violation.getPropertyPath().toString();
    if (path.endsWith(".arg0") || path.matches(".*\\.arg\\d+$") || path.contains("<body>")) {
      return "the request body " + violation.getMessage();
    }
    int dot = path.lastIndexOf('.');
    return "'" + (dot < 0 ? path : path.substring(dot + 1)) + "' " + violation.getMessage();
  }
}
