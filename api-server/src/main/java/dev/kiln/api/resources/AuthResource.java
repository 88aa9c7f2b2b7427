package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.auth.RefreshSessions;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.service.AccountService;
import dev.kiln.client.api.LoginRequest;
import dev.kiln.client.api.SignupRequest;
import dev.kiln.client.api.TokenResponse;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-up, log-in, refresh and log-out. Sign-up and log-in also start a browser session: a refresh
 * token in an HttpOnly cookie that {@code POST /refresh} exchanges for a new access token.
 */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {
  private final AccountService accounts;
  private final RefreshSessions sessions;
  private final Clock clock;

  public AuthResource(AccountService accounts, RefreshSessions sessions, Clock clock) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.clock = clock;
  }

  @POST
  @Path("/signup")
  public Response signup(@NotNull @Valid SignupRequest request, @Context HttpServletRequest http) {
    TokenResponse token =
        accounts.signup(request.email(), request.password(), http.getRemoteAddr());
    return withSession(Response.status(201), token, http);
  }

  @POST
  @Path("/login")
  public Response login(@NotNull @Valid LoginRequest request, @Context HttpServletRequest http) {
    TokenResponse token = accounts.login(request.email(), request.password(), http.getRemoteAddr());
    return withSession(Response.ok(), token, http);
  }

  /**
   * Exchanges the refresh cookie for a new access token and the next refresh cookie; 401 (and the
   * cookie removed) when the session has ended.
   */
  @POST
  @Path("/refresh")
  @Consumes(MediaType.WILDCARD)
  public Response refresh(
      @CookieParam(RefreshCookie.NAME) String refreshToken, @Context HttpServletRequest http) {
    Optional<RefreshSessions.Exchange> exchange = sessions.exchange(refreshToken);
    Optional<TokenResponse> token =
        exchange.flatMap(e -> accounts.refreshed(e.accountId(), e.sessionStartedAt()));
    if (token.isEmpty()) {
      exchange.ifPresent(e -> sessions.end(e.next().token()));
      throw new ApiException(
          401,
          "unauthorized",
          "Authentication is required",
          "Your session has ended (it expired, you logged out, or your password or account"
              + " changed); log in again.",
          Map.of(
              HttpHeaders.SET_COOKIE,
              RefreshCookie.clear(http),
              HttpHeaders.WWW_AUTHENTICATE,
              "Bearer realm=\"kiln\""));
    }
    return Response.ok(token.get())
        .header(HttpHeaders.SET_COOKIE, RefreshCookie.set(exchange.get().next(), http, clock))
        .build();
  }

  /** Ends every session of the account (all its access and refresh tokens); API keys stay valid. */
  @POST
  @Path("/logout")
  @PermitAll
  public Response logout(@Auth KilnPrincipal principal, @Context HttpServletRequest http) {
    accounts.logout(principal);
    sessions.endAll(principal.accountId());
    return Response.noContent().header(HttpHeaders.SET_COOKIE, RefreshCookie.clear(http)).build();
  }

  private Response withSession(
      Response.ResponseBuilder response, TokenResponse token, HttpServletRequest http) {
    RefreshSessions.Issued session = sessions.start(token.account().id());
    return response
        .entity(token)
        .header(HttpHeaders.SET_COOKIE, RefreshCookie.set(session, http, clock))
        .build();
  }
}
