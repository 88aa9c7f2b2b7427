package dev.kiln.api.resources;

import dev.kiln.api.auth.ApiKeys;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.auth.RefreshSessions;
import dev.kiln.api.service.AccountService;
import dev.kiln.client.api.AccountUsageView;
import dev.kiln.client.api.AccountView;
import dev.kiln.client.api.ApiKeyRequest;
import dev.kiln.client.api.ApiKeyView;
import dev.kiln.client.api.ChangePasswordRequest;
import dev.kiln.client.api.DeleteAccountRequest;
import dev.kiln.client.api.TokenResponse;
import dev.kiln.db.spend.BudgetCheck;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** The caller's own account: profile, password, API keys, deletion. */
@Path("/v1/account")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class AccountResource {
  private final AccountService accounts;
  private final ApiKeys apiKeys;
  private final RefreshSessions sessions;
  private final BudgetCheck budgets;
  private final Clock clock;

  public AccountResource(
      AccountService accounts,
      ApiKeys apiKeys,
      RefreshSessions sessions,
      BudgetCheck budgets,
      Clock clock) {
    this.accounts = accounts;
    this.budgets = budgets;
    this.apiKeys = apiKeys;
    this.sessions = sessions;
    this.clock = clock;
  }

  @GET
  public AccountView me(@Auth KilnPrincipal principal) {
    return accounts.view(principal);
  }

  /** Storage against the quota and this month's spend against the budget. */
  @GET
  @Path("/usage")
  public AccountUsageView usage(@Auth KilnPrincipal principal) {
    return accounts.usage(principal, budgets);
  }

  @POST
  @Path("/password")
  public Response changePassword(
      @Auth KilnPrincipal principal,
      @NotNull @Valid ChangePasswordRequest request,
      @Context HttpServletRequest http) {
    TokenResponse token =
        accounts.changePassword(
            principal, request.currentPassword(), request.newPassword(), http.getRemoteAddr());
    sessions.endAll(principal.accountId());
    RefreshSessions.Issued session = sessions.start(principal.accountId());
    return Response.ok(token)
        .header(HttpHeaders.SET_COOKIE, RefreshCookie.set(session, http, clock))
        .build();
  }

  /** Deletes the account with its files and jobs; the password confirms it. */
  @POST
  @Path("/delete")
  public Response delete(
      @Auth KilnPrincipal principal,
      @NotNull @Valid DeleteAccountRequest request,
      @Context HttpServletRequest http) {
    accounts.delete(principal, request.password(), http.getRemoteAddr());
    return Response.noContent().header(HttpHeaders.SET_COOKIE, RefreshCookie.clear(http)).build();
  }

  @GET
  @Path("/api-keys")
  public List<ApiKeyView> apiKeys(@Auth KilnPrincipal principal) {
    return apiKeys.list(principal.accountId());
  }

  /** Creates a key; the answer is the only time the key is shown. */
  @POST
  @Path("/api-keys")
  public Response createApiKey(
      @Auth KilnPrincipal principal, @NotNull @Valid ApiKeyRequest request) {
    return Response.status(201)
        .entity(apiKeys.create(principal.accountId(), request.name()))
        .build();
  }

  @DELETE
  @Path("/api-keys/{keyId}")
  public Response revokeApiKey(@Auth KilnPrincipal principal, @PathParam("keyId") UUID keyId) {
    apiKeys.revoke(principal.accountId(), keyId);
    return Response.noContent().build();
  }
}
