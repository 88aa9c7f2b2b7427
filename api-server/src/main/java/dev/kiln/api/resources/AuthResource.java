package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Sign-up, log-in and log-out. */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {
  private final AccountService accounts;

  public AuthResource(AccountService accounts) {
    this.accounts = accounts;
  }

  @POST
  @Path("/signup")
  public Response signup(@NotNull @Valid SignupRequest request, @Context HttpServletRequest http) {
    TokenResponse token =
        accounts.signup(request.email(), request.password(), http.getRemoteAddr());
    return Response.status(201).entity(token).build();
  }

  @POST
  @Path("/login")
  public TokenResponse login(
      @NotNull @Valid LoginRequest request, @Context HttpServletRequest http) {
    return accounts.login(request.email(), request.password(), http.getRemoteAddr());
  }

  /** Ends every session of the account (all its access tokens); API keys stay valid. */
  @POST
  @Path("/logout")
  @PermitAll
  public Response logout(@Auth KilnPrincipal principal) {
    accounts.logout(principal);
    return Response.noContent().build();
  }
}
