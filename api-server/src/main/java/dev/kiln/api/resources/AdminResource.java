package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.service.AdminService;
import dev.kiln.api.service.CreditService;
import dev.kiln.client.api.AccountBudgetView;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.AuditEntryView;
import dev.kiln.client.api.BudgetRequest;
import dev.kiln.client.api.CreditAmountRequest;
import dev.kiln.client.api.CreditBalanceView;
import dev.kiln.client.api.FleetView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.ReleasesView;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** The operator API: admins only, every call audited. */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class AdminResource {
  private final AdminService admin;
  private final CreditService credits;

  public AdminResource(AdminService admin, CreditService credits) {
    this.admin = admin;
    this.credits = credits;
  }

  /** Grants prepaid credits to an account; audited, shown on its statement. */
  @POST
  @Path("/accounts/{id}/credits")
  @Consumes(MediaType.APPLICATION_JSON)
  public CreditBalanceView grantCredits(
      @Auth KilnPrincipal principal, @PathParam("id") UUID id, CreditAmountRequest body) {
    if (body == null) {
      throw ApiException.validation(
          "Send {\"amountUsd\": 50, \"memo\": \"trial\"} to grant 50 USD of credits.");
    }
    return credits.grant(principal, id, body);
  }

  @GET
  @Path("/accounts")
  public Page<AccountSummaryView> accounts(
      @Auth KilnPrincipal principal,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return admin.accounts(principal, Cursor.decode(cursor), Cursor.limit(limit));
  }

  @POST
  @Path("/accounts/{id}/disable")
  public Response disable(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    admin.setDisabled(principal, id, true);
    return Response.noContent().build();
  }

  @POST
  @Path("/accounts/{id}/enable")
  public Response enable(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    admin.setDisabled(principal, id, false);
    return Response.noContent().build();
  }

  @PUT
  @Path("/accounts/{id}/budget")
  @Consumes(MediaType.APPLICATION_JSON)
  public AccountBudgetView budget(
      @Auth KilnPrincipal principal, @PathParam("id") UUID id, BudgetRequest body) {
    if (body == null) {
      throw ApiException.validation(
          "Send {\"monthlyBudgetUsd\": 250} to set a monthly budget in USD, or"
              + " {\"monthlyBudgetUsd\": null} to lift it.");
    }
    return admin.setBudget(principal, id, body.monthlyBudgetUsd());
  }

  @DELETE
  @Path("/accounts/{id}")
  public Response delete(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    admin.deleteAccount(principal, id);
    return Response.noContent().build();
  }

  @GET
  @Path("/jobs")
  public Page<JobView> jobs(
      @Auth KilnPrincipal principal,
      @QueryParam("state") String state,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return admin.jobs(
        principal, JobResource.parseState(state), Cursor.decode(cursor), Cursor.limit(limit));
  }

  @GET
  @Path("/fleet")
  public FleetView fleet(@Auth KilnPrincipal principal) {
    return admin.fleet(principal);
  }

  @GET
  @Path("/releases")
  public ReleasesView releases(@Auth KilnPrincipal principal, @QueryParam("limit") Integer limit) {
    return admin.releases(principal, Cursor.limit(limit));
  }

  @GET
  @Path("/audit")
  public List<AuditEntryView> audit(
      @Auth KilnPrincipal principal,
      @QueryParam("before") Long before,
      @QueryParam("limit") Integer limit) {
    return admin.audit(principal, before, Cursor.limit(limit));
  }
}
