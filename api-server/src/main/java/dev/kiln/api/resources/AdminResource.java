package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.AuditCursor;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.service.AdminService;
import dev.kiln.api.service.AdminService.AccountFilter;
import dev.kiln.api.service.AdminService.AuditFilter;
import dev.kiln.api.service.CreditService;
import dev.kiln.client.api.AccountBudgetView;
import dev.kiln.client.api.AccountQuotaView;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.AuditEntryView;
import dev.kiln.client.api.BudgetRequest;
import dev.kiln.client.api.CreditAmountRequest;
import dev.kiln.client.api.CreditBalanceView;
import dev.kiln.client.api.FleetView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.QuotaRequest;
import dev.kiln.client.api.ReleasesView;
import dev.kiln.client.api.RoleRequest;
import dev.kiln.client.api.Validation;
import dev.kiln.model.Role;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/** The operator API over accounts, jobs, the fleet, releases and the audit log: admins only. */
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
      @QueryParam("q") String query,
      @QueryParam("role") String role,
      @QueryParam("state") String state,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    AccountFilter filter =
        new AccountFilter(filterText(query, "q"), role(role, true), accountState(state));
    return admin.accounts(principal, filter, Cursor.decode(cursor), Cursor.limit(limit));
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

  @PUT
  @Path("/accounts/{id}/quota")
  @Consumes(MediaType.APPLICATION_JSON)
  public AccountQuotaView quota(
      @Auth KilnPrincipal principal, @PathParam("id") UUID id, QuotaRequest body) {
    if (body == null) {
      throw ApiException.validation(
          "Send {\"quotaBytes\": 10737418240} to set a storage quota in bytes, or"
              + " {\"quotaBytes\": null} for the configured default.");
    }
    return admin.setQuota(principal, id, body.quotaBytes());
  }

  @PUT
  @Path("/accounts/{id}/role")
  @Consumes(MediaType.APPLICATION_JSON)
  public AccountSummaryView role(
      @Auth KilnPrincipal principal, @PathParam("id") UUID id, RoleRequest body) {
    Role role = body == null ? null : role(body.role(), false);
    if (role == null) {
      throw ApiException.validation("Send {\"role\": \"ADMIN\"} or {\"role\": \"USER\"}.");
    }
    return admin.setRole(principal, id, role);
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
      @QueryParam("owner") String owner,
      @QueryParam("state") String state,
      @QueryParam("q") String query,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return admin.jobs(
        principal,
        filterText(owner, "owner"),
        JobResource.parseState(state),
        filterText(query, "q"),
        Cursor.decode(cursor),
        Cursor.limit(limit));
  }

  @POST
  @Path("/jobs/{id}/cancel")
  public Response cancelJob(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    return Response.accepted(admin.cancelJob(principal, id)).build();
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
  public Page<AuditEntryView> audit(
      @Auth KilnPrincipal principal,
      @QueryParam("actor") String actor,
      @QueryParam("action") String action,
      @QueryParam("since") String since,
      @QueryParam("until") String until,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    AuditFilter filter =
        new AuditFilter(
            filterText(actor, "actor"),
            filterText(action, "action"),
            instant("since", since),
            instant("until", until));
    return admin.audit(principal, filter, AuditCursor.decode(cursor), Cursor.limit(limit));
  }

  private static Role role(String value, boolean queryParameter) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Role.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      String message = "'role' must be USER or ADMIN.";
      throw queryParameter ? ApiException.badRequest(message) : ApiException.validation(message);
    }
  }

  private static Boolean accountState(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "active" -> false;
      case "disabled" -> true;
      default -> throw ApiException.badRequest("'state' must be active or disabled.");
    };
  }

  private static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "'" + name + "' must be an ISO-8601 instant such as 2026-03-01T00:00:00Z.");
    }
  }

  /**
   * A free-text filter: null when blank, else stripped; refused (400) when it holds control
   * characters, which PostgreSQL cannot compare, or is longer than any value it could match.
   */
  static String filterText(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return Validation.requireText(value, field, MAX_FILTER_CHARS).strip();
  }

  private static final int MAX_FILTER_CHARS = 320;
}
