package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.service.CreditService;
import dev.kiln.client.api.CheckoutView;
import dev.kiln.client.api.CreditAmountRequest;
import dev.kiln.client.api.CreditBalanceView;
import dev.kiln.client.api.CreditStatementView;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/** The caller's prepaid credits: balance, monthly statement (JSON or CSV), buying more. */
@Path("/v1/credits")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class CreditResource {
  private final CreditService credits;

  public CreditResource(CreditService credits) {
    this.credits = credits;
  }

  @GET
  public CreditBalanceView balance(@Auth KilnPrincipal principal) {
    return credits.balance(principal.accountId());
  }

  /** The statement of {@code month} ({@code YYYY-MM}, UTC; this month when absent). */
  @GET
  @Path("/statement")
  public CreditStatementView statement(
      @Auth KilnPrincipal principal, @QueryParam("month") String month) {
    return credits.statement(principal.accountId(), month);
  }

  @GET
  @Path("/statement.csv")
  @Produces("text/csv")
  public Response statementCsv(@Auth KilnPrincipal principal, @QueryParam("month") String month) {
    String csv = credits.statementCsv(principal.accountId(), month);
    return Response.ok(csv, "text/csv; charset=utf-8")
        .header(
            "Content-Disposition",
            "attachment; filename=\"kiln-credits-"
                + (month != null && month.strip().matches("\\d{4}-\\d{2}")
                    ? month.strip()
                    : "month")
                + ".csv\"")
        .build();
  }

  /**
   * Opens a checkout page for {@code amountUsd} of credits. A page of this API (the local fake
   * checkout) is addressed on the host the caller reached, so the buyer stays on their origin.
   */
  @POST
  @Path("/checkout")
  @Consumes(MediaType.APPLICATION_JSON)
  public CheckoutView checkout(
      @Auth KilnPrincipal principal, CreditAmountRequest body, @Context UriInfo uriInfo) {
    if (body == null) {
      throw ApiException.validation("Send {\"amountUsd\": 20} to buy 20 USD of credits.");
    }
    CheckoutView checkout = credits.checkout(principal.accountId(), body);
    URI url = URI.create(checkout.url());
    return url.isAbsolute()
        ? checkout
        : new CheckoutView(checkout.sessionId(), uriInfo.getBaseUri().resolve(url).toString());
  }
}
