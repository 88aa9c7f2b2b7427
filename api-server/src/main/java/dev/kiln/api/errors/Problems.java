package dev.kiln.api.errors;

import dev.kiln.client.api.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
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
    return response(status, slug, title, detail, uriInfo, errorId, headers, Map.of());
  }

  /** A problem with extension {@code members} after the standard ones (RFC 9457, section 3.2). */
  public static Response response(
      int status,
      String slug,
      String title,
      String detail,
      UriInfo uriInfo,
      String errorId,
      Map<String, String> headers,
      Map<String, Object> members) {
    String instance = null;
    try {
      instance = uriInfo == null ? null : "/" + uriInfo.getPath();
    } catch (RuntimeException outsideRequest) {
      // No request in scope: the problem has no instance.
    }
    Problem problem =
        new Problem(Problem.TYPE_BASE + slug, title, status, detail, instance, errorId);
    Object entity = problem;
    if (!members.isEmpty()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("type", problem.type());
      body.put("title", problem.title());
      body.put("status", problem.status());
      body.put("detail", problem.detail());
      if (instance != null) {
        body.put("instance", instance);
      }
      members.forEach(body::putIfAbsent);
      entity = body;
    }
    Response.ResponseBuilder builder =
        Response.status(status).type(Problem.MEDIA_TYPE).entity(entity);
    headers.forEach(builder::header);
    return builder.build();
  }

  public static Response response(
      int status, String slug, String title, String detail, UriInfo uriInfo) {
    return response(status, slug, title, detail, uriInfo, null, Map.of());
  }
}
