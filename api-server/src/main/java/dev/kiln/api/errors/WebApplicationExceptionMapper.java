package dev.kiln.api.errors;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.HashMap;
import java.util.Map;
import org.glassfish.jersey.server.ParamException;

/** Maps Jersey's own errors (no route, wrong method or media type, bad parameters) to problems. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
  @Context private UriInfo uriInfo;

  @Override
  public Response toResponse(WebApplicationException e) {
    if (e.getResponse().getEntity() instanceof dev.kiln.client.api.Problem) {
      return e.getResponse();
    }
    int status = e.getResponse().getStatus();
    Map<String, String> headers = new HashMap<>();
    if (e instanceof ParamException.PathParamException param) {
      return Problems.response(
          404,
          "not-found",
          "Not found",
          "'"
              + param.getParameterName()
              + "' in the path is not valid; use an id the API returned.",
          uriInfo);
    }
    if (e instanceof ParamException param) {
      return Problems.response(
          400,
          "bad-request",
          "The request is not valid",
          "The parameter '" + param.getParameterName() + "' has a value of the wrong type.",
          uriInfo);
    }
    String slug;
    String title;
    String detail;
    if (e instanceof NotFoundException) {
      slug = "not-found";
      title = "Not found";
      detail = "There is nothing at this address; see /api/v1/openapi.json for the API.";
    } else if (e instanceof NotAllowedException) {
      slug = "method-not-allowed";
      title = "Method not allowed";
      String allow = e.getResponse().getHeaderString("Allow");
      detail = "This address does not accept this method; it accepts " + allow + ".";
      if (allow != null) {
        headers.put("Allow", allow);
      }
    } else if (e instanceof NotSupportedException) {
      slug = "unsupported-media-type";
      title = "Unsupported media type";
      detail = "Send the body as application/json.";
    } else if (e instanceof NotAcceptableException) {
      slug = "not-acceptable";
      title = "Not acceptable";
      detail = "This resource answers application/json; accept it.";
    } else if (e instanceof NotAuthorizedException) {
      slug = "unauthorized";
      title = "Authentication is required";
      detail = "Send 'Authorization: Bearer <access token or API key>'.";
      headers.put("WWW-Authenticate", "Bearer realm=\"kiln\"");
    } else if (e instanceof ForbiddenException) {
      slug = "forbidden";
      title = "Not allowed";
      detail = "Your account's role does not allow this; it needs an administrator.";
    } else {
      slug = status >= 500 ? "server-error" : "bad-request";
      title =
          Response.Status.fromStatusCode(status) == null
              ? "Error"
              : Response.Status.fromStatusCode(status).getReasonPhrase();
      detail = e.getMessage() == null ? title : e.getMessage();
    }
    return Problems.response(status, slug, title, detail, uriInfo, null, headers);
  }
}
