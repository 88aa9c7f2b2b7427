package dev.kiln.api.errors;

import dev.kiln.client.api.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;

/** Builds problem+json responses. Stateless. */
public final class Problems {
  private Problems() {}

  public static Response response(
      int status,
      String slug,
      String title,
      String detail,
      UriInfo uriInfo,
      String errorId,
      Map<String, String> headers) {
    String instance = null;
    try {
      instance = uriInfo == null ? null : "/" + uriInfo.getPath();
    } catch (RuntimeException outsideRequest) {
      // No request in scope: the problem has no instance.
    }
    Problem problem =
        new Problem(Problem.TYPE_BASE + slug, title, status, detail, instance, errorId);
    Response.ResponseBuilder builder =
        Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
    headers.forEach(builder::header);
    return builder.build();
  }

  public static Response response(
      int status, String slug, String title, String detail, UriInfo uriInfo) {
    return response(status, slug, title, detail, uriInfo, null, Map.of());
  }
}
