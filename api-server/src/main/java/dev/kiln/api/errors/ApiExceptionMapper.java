package dev.kiln.api.errors;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Maps {@link ApiException} to its problem. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {
  @Context private UriInfo uriInfo;

  @Override
  public Response toResponse(ApiException e) {
    return Problems.response(
        e.status(), e.slug(), e.title(), e.detail(), uriInfo, null, e.headers(), e.members());
  }
}
