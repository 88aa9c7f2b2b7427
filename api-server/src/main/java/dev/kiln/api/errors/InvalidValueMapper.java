package dev.kiln.api.errors;

import dev.kiln.model.InvalidValueException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Maps a value the client sent and Kiln cannot take to a {@code 422} problem. */
@Provider
public class InvalidValueMapper implements ExceptionMapper<InvalidValueException> {
  @Context private UriInfo uriInfo;

  @Override
  public Response toResponse(InvalidValueException e) {
    return problem(e, uriInfo);
  }

  static Response problem(InvalidValueException e, UriInfo uriInfo) {
    return Problems.response(
        422, "invalid-request", "The request is not valid", e.getMessage(), uriInfo);
  }
}
