package dev.kiln.api.auth;

import dev.kiln.client.api.Problem;
import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.ws.rs.core.Response;

/** The 401 of a missing, expired, forged or revoked credential, as a problem. Stateless. */
public final class ProblemUnauthorizedHandler implements UnauthorizedHandler {
  @Override
  public Response buildResponse(String prefix, String realm) {
    return Response.status(401)
        .type(Problem.MEDIA_TYPE)
        .header("WWW-Authenticate", "Bearer realm=\"" + realm + "\"")
        .entity(
            new Problem(
                Problem.TYPE_BASE + "unauthorized",
                "Authentication is required",
                401,
                "Send 'Authorization: Bearer <token>' with a valid access token (log in again if"
                    + " it expired) or an unrevoked API key of an enabled account.",
                null,
                null))
        .build();
  }
}
